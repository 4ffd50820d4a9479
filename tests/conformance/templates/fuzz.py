#!/usr/bin/env python3
"""Generates random templates from a small pipeline grammar (Prometheus's functions, Go's builtins, literals,
fields, variables, if/with/range) and sorts them with promtool check rules into
  spec/TOPIC.txt               templates that parse (record.py then records what promtool expands them to), and
  spec/parse-errors-TOPIC.txt  templates that do not (record.py records promtool's parse errors).
Usage: ./fuzz.py SEED COUNT TOPIC [pipelines|structure], then ./record.py TOPIC parse-errors-TOPIC.
The structure grammar nests text, trim markers, comments, if/else if/with/range/break/continue, variables and
define/template/block instead.
Templates that print pointers (a queryResult nested in another value prints 0xc000...) differ between runs and
must be removed from the spec: record.py's re-check with promtool catches them.
fuzz.txt and parse-errors-fuzz.txt came from seed 7 of an earlier version of this grammar (fewer literals and
functions); fuzz2/fuzz3 and parse-errors-fuzz2 from seeds 11 and 12 of this one; fuzz-structure from seed 21 of
an earlier structure grammar (more malformed trim markers), fuzz-structure2 from seed 22 of this one.
"""
import json, os, random, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
lits = ['"é日"', '3', '-1.5e-3', '1e21', '"%x %X %o %e %g %c %U %8.3s %-4d %+v"', '$labels.job', '$labels.nope', '(toTime 1680000000.5)', '"1h"', '"[::1]:80"', '"a.b.c"', '(safeHtml "<b>")', '1', '-2', '0', '1.5', '-0.25', '1e3', '"a"', '"3.5"', '"x:80"', "'x'", 'true', 'false', 'nil', '.Labels.job', '.Labels.nope', '.Value', '$value',
        '$labels', '.Labels', '.ExternalLabels', '$externalURL', '.', '$', '(args 1 "b")', '(query "up{instance=\'b:1\'}")', '(query "nothing")', '"%d"', '"%s|%v"', '0x10', '""', '.Labels.instance']
funcs = ['printf "%x %X %o %e"', 'printf "%8.3g|%-6s|%+d"', 'printf "%c %U %q"', 'printf "%v|%T"', 'index', 'slice', 'printf "%v %d %s"', 'printf "%5.2f"', 'printf "%q"', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not', 'len', 'index', 'slice', 'print', 'println', 'html', 'js',
         'urlquery', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp', 'toUpper', 'toLower', 'title', 'match "a."',
         'reReplaceAll "a" "b"', 'stripPort', 'stripDomain', 'args', 'first', 'label "job"', 'value', 'strvalue', 'toTime', 'parseDuration', 'safeHtml', 'sortByLabel "instance"', 'graphLink', 'call']
def term(d):
    if d > 2 or RND.random() < 0.6:
        t = RND.choice(lits)
        if RND.random() < 0.1 and t.startswith(('.', '$', '(')):
            t = t + RND.choice(['.job', '.Value', '.x', '.Labels'])
        return t
    return '(' + pipeline(d + 1) + ')'
arity = {'printf "%v %d %s"': 3, 'printf "%5.2f"': 1, 'printf "%q"': 1, 'eq': 2, 'ne': 2, 'lt': 2, 'le': 2, 'gt': 2, 'ge': 2, 'and': 2, 'or': 2, 'not': 1, 'len': 1,
         'index': 2, 'slice': 2, 'print': 2, 'println': 2, 'html': 1, 'js': 1, 'urlquery': 1, 'match "a."': 1, 'reReplaceAll "a" "b"': 1, 'label "job"': 1,
         'sortByLabel "instance"': 1, 'args': 2, 'call': 1}
def command(d, piped=False):
    if RND.random() < 0.25 and not piped:
        return term(d)
    f = RND.choice(funcs)
    n = arity.get(f, 1)
    if piped:
        n -= 1
    if RND.random() < 0.2:
        n = RND.randint(0, 3)
    return f + ''.join(' ' + term(d) for _ in range(max(n, 0)))
def pipeline(d):
    cmds = [command(d)]
    for _ in range(RND.randint(0, 2)):
        c = command(d, piped=True)
        cmds.append(c)
    p = ' | '.join(cmds)
    if RND.random() < 0.15:
        p = '$v := ' + p
    return p
def action():
    r = RND.random()
    if r < 0.6:
        return '{{ ' + pipeline(0) + ' }}'
    kind = RND.choice(['if', 'with', 'range'])
    body = '{{ . }}' if kind != 'if' else 'T'
    els = '{{ else }}E' if RND.random() < 0.4 else ''
    decl = '$k, $e := ' if kind == 'range' and RND.random() < 0.3 else ''
    return '{{ ' + kind + ' ' + decl + pipeline(0) + ' }}' + body + els + '{{ end }}'

# The "structure" grammar: text, trim markers, comments, nested control structures, variables, define/template/block.
TEXTS = ['', ' ', 'x', '\n', ' a \n ', '\t', 'é', '}}', '{', '\r\n']
VALUES = ['.Labels', '.ExternalLabels', '(args 1 "b" 2.5)', '(query "up" | sortByLabel "instance")', '.Labels.job', '.Value', '$value', '0', '""', '.', 'nil', '(args)', '$labels.nope']

def open_(d):
    return RND.choice(['{{', '{{- ', '{{ ', '{{', '{{- ', '{{ ', '{{-']) if d >= 0 else '{{'

def close_():
    return RND.choice(['}}', ' -}}', ' }}', '}}', ' -}}', ' }}', '-}}'])

def block(depth, in_range, variables):
    out = []
    for _ in range(RND.randint(1, 3)):
        out.append(RND.choice(TEXTS))
        r = RND.random()
        if depth > 2 or r < 0.35:
            v = RND.choice(variables + ['.', '.Labels.job', '$value', '.Value', '1', '"s"'])
            out.append(open_(depth) + ' ' + RND.choice([v, 'printf "%v" ' + v, 'len ' + v, v + ' | print']) + close_())
        elif r < 0.45:
            out.append(open_(depth) + '/* c */' + close_())
        elif r < 0.55:
            name = RND.choice(['$a', '$b'])
            op = ':=' if name not in variables or RND.random() < 0.5 else '='
            out.append(open_(depth) + ' ' + name + ' ' + op + ' ' + RND.choice(VALUES) + close_())
            if op == ':=':
                variables = variables + [name]
        elif r < 0.62 and in_range:
            out.append(open_(depth) + RND.choice([' break', ' continue']) + close_())
        else:
            kind = RND.choice(['if', 'with', 'range', 'if'])
            decl = ''
            inner = variables
            if kind == 'range' and RND.random() < 0.5:
                decl, inner = '$k, $e := ', variables + ['$k', '$e']
            elif RND.random() < 0.2:
                decl, inner = '$w := ', variables + ['$w']
            s = open_(depth) + ' ' + kind + ' ' + decl + RND.choice(VALUES) + close_() + block(depth + 1, in_range or kind == 'range', inner)
            if kind == 'if' and RND.random() < 0.3:
                s += open_(depth) + ' else if ' + RND.choice(VALUES) + close_() + block(depth + 1, in_range, variables)
            if RND.random() < 0.4:
                s += open_(depth) + ' else' + close_() + block(depth + 1, in_range, variables)
            if RND.random() > 0.01:
                s += open_(depth) + ' end' + close_()
            out.append(s)
    return ''.join(out)

def structure():
    s = ''
    if RND.random() < 0.3:
        s += '{{ define "d" }}' + block(1, False, []) + '{{ end }}'
        s += RND.choice(['{{ template "d" . }}', '{{ template "d" .Labels }}', '{{ template "d" }}', '{{ template "d" $value }}'])
    if RND.random() < 0.2:
        s += '{{ block "b" ' + RND.choice(VALUES) + ' }}' + block(1, False, []) + '{{ end }}'
    return s + block(0, False, ['$labels', '$value'])

def main():
    global RND
    seed, count, topic = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    grammar = sys.argv[4] if len(sys.argv) > 4 else 'pipelines'
    RND = random.Random(seed)
    if grammar == 'structure':
        templates = [structure() for _ in range(count)]
    else:
        templates = [''.join(action() + RND.choice(['', ' ', '|']) for _ in range(RND.randint(1, 2))) for _ in range(count)]
    d = tempfile.mkdtemp()
    with open(os.path.join(d, 'r.yml'), 'w', encoding='utf-8') as f:
        f.write('groups:\n- name: templates\n  rules:\n  - alert: A\n    expr: m\n    annotations:\n')
        for i, t in enumerate(templates):
            f.write(f'      a{i:03d}: {json.dumps(t, ensure_ascii=False)}\n')
    p = subprocess.run(['promtool', 'check', 'rules', 'r.yml'], cwd=d, capture_output=True, text=True)
    bad = set(int(m.group(1)) for m in re.finditer(r'annotation "a(\d{3})"', p.stdout + p.stderr))
    header = f'# Generated by fuzz.py (seed {seed})'
    with open(os.path.join(HERE, 'spec', topic + '.txt'), 'w', encoding='utf-8') as f:
        f.write(header + '; each template records what promtool 2.42 does with it.\n# value: 3.5\n')
        f.writelines(json.dumps(t, ensure_ascii=False) + '\n' for i, t in enumerate(templates) if i not in bad)
    with open(os.path.join(HERE, 'spec', 'parse-errors-' + topic + '.txt'), 'w', encoding='utf-8') as f:
        f.write(header + ': templates promtool 2.42 does not parse.\n')
        f.writelines(json.dumps(t, ensure_ascii=False) + '\n' for i, t in enumerate(templates) if i in bad)
    print(f'{topic}: {count - len(bad)} parse, {len(bad)} do not')

if __name__ == '__main__':
    main()

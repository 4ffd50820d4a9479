#!/usr/bin/env python3
"""Records the template conformance corpus from the real promtool (Prometheus 2.42).

For each spec/<topic>.txt (one template per line; a line starting with '"' is a JSON string, so it can hold
newlines; '#' lines are comments; '# value: V' sets the alert's sample value) this writes
  rules/<topic>.yml   an alerting rule whose annotations a000, a001, ... are the templates, and
  <topic>.yml         a promtool unit test whose exp_annotations are what promtool's real template engine produced.
The alert fires for m{instance="x:9090",job="j"} (value V); two `up` series exist for the `query` function.
Run from this directory: ./record.py [topic ...]. promtool is the specification: the expected texts are its output.
"""
import json, os, re, subprocess, sys, tempfile, ast

HERE = os.path.dirname(os.path.abspath(__file__))

def read_spec(path):
    value, templates = '3.5', []
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if line.startswith('# value:'):
                value = line.split(':', 1)[1].strip()
                continue
            if not line.strip() or line.startswith('#'):
                continue
            templates.append(json.loads(line) if line.startswith('"') else line)
    return value, templates

def rule_file(templates):
    out = ['groups:', '- name: templates', '  rules:', '  - alert: A', '    expr: m', '    annotations:']
    for i, t in enumerate(templates):
        out.append(f'      a{i:03d}: {json.dumps(t, ensure_ascii=False)}')
    return '\n'.join(out) + '\n'

def test_file(topic, value, annotations):
    out = [f'# Recorded from promtool 2.42 by record.py from spec/{topic}.txt: do not edit by hand.',
           f'rule_files: [rules/{topic}.yml]', 'evaluation_interval: 1m', 'tests:', '- interval: 1m', '  input_series:',
           '  - series: \'m{instance="x:9090",job="j"}\'', f"    values: '{value}'",
           '  - series: \'up{instance="b:1",job="j"}\'', "    values: '1'",
           '  - series: \'up{instance="a:1",job="j"}\'', "    values: '0'",
           '  alert_rule_test:', '  - eval_time: 0m', '    alertname: A', '    exp_alerts:',
           '    - exp_labels: {instance: "x:9090", job: j}', '      exp_annotations:']
    for k in sorted(annotations):
        out.append(f'        {k}: {json.dumps(annotations[k], ensure_ascii=False)}')
    return '\n'.join(out) + '\n'

def record(topic):
    value, templates = read_spec(os.path.join(HERE, 'spec', topic + '.txt'))
    with open(os.path.join(HERE, 'rules', topic + '.yml'), 'w', encoding='utf-8') as f:
        f.write(rule_file(templates))
    # Run once with empty expectations; promtool prints what it got.
    d = tempfile.mkdtemp()
    os.makedirs(os.path.join(d, 'rules'))
    with open(os.path.join(d, 'rules', topic + '.yml'), 'w', encoding='utf-8') as f:
        f.write(rule_file(templates))
    with open(os.path.join(d, 't.yml'), 'w', encoding='utf-8') as f:
        f.write(test_file(topic, value, {}).replace('      exp_annotations:', '      exp_annotations: {}'))
    p = subprocess.run(['promtool', 'test', 'rules', 't.yml'], cwd=d, capture_output=True, text=True)
    out = p.stdout + p.stderr
    m = re.search(r'got:\[\s*0:\s*Labels:\{.*?\}\s*Annotations:\{(.*)\}\s*\]', out, re.S)
    if not m:
        sys.exit(f'{topic}: promtool did not report annotations:\n{out}')
    got = {}
    for mm in re.finditer(r'(a\d{3})=("(?:[^"\\]|\\.)*")', m.group(1)):
        got[mm.group(1)] = go_unquote(mm.group(2))
    if len(got) != len(templates):
        sys.exit(f'{topic}: expected {len(templates)} annotations, promtool reported {len(got)}')
    path = os.path.join(HERE, topic + '.yml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(test_file(topic, value, got))
    check = subprocess.run(['promtool', 'test', 'rules', path], cwd=HERE, capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f'{topic}: recorded file does not pass promtool:\n{check.stdout}{check.stderr}')
    print(f'{topic}: {len(got)} annotations')

def record_parse_errors(topic):
    """spec/<topic>.txt holds templates that must not parse: rules/<topic>.yml gets them as annotations of one
    rule, and <topic>.json the error promtool check rules reports for each (Go's parse error, unwrapped)."""
    _, templates = read_spec(os.path.join(HERE, 'spec', topic + '.txt'))
    path = os.path.join('rules', topic + '.yml')
    with open(os.path.join(HERE, path), 'w', encoding='utf-8') as f:
        f.write(rule_file(templates))
    p = subprocess.run(['promtool', 'check', 'rules', path], cwd=HERE, capture_output=True, text=True)
    errors = {}
    prefix = f'{path}: group "templates", rule 1, "A": annotation "'
    for line in (p.stdout + p.stderr).splitlines():
        if line.startswith(prefix):
            key, err = line[len(prefix):].split('": ', 1)
            errors[key] = err
    if p.returncode == 0 or len(errors) != len(templates):
        sys.exit(f'{topic}: expected {len(templates)} parse errors, promtool reported {len(errors)}:\n{p.stdout}{p.stderr}')
    cases = [{'annotation': f'a{i:03d}', 'template': t, 'error': errors[f'a{i:03d}']} for i, t in enumerate(templates)]
    with open(os.path.join(HERE, topic + '.json'), 'w', encoding='utf-8') as f:
        json.dump({'recorded': 'promtool 2.42 check rules, by record.py: do not edit by hand', 'rule_file': path, 'cases': cases},
                  f, ensure_ascii=False, indent=1)
        f.write('\n')
    print(f'{topic}: {len(cases)} parse errors')

def go_unquote(s):
    # Go's strconv.Quote output: Python's literal syntax reads the same escapes (\\x, \\u, \\U, \\n, \\t, \\", \\\\).
    return ast.literal_eval(s)

if __name__ == '__main__':
    topics = sys.argv[1:] or sorted(f[:-4] for f in os.listdir(os.path.join(HERE, 'spec')) if f.endswith('.txt'))
    for t in topics:
        if t.startswith('parse-errors'):
            record_parse_errors(t)
        else:
            record(t)

using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.Rules.Evaluation;

/// <summary>A rule's health as the API reports it (<c>rules.RuleHealth</c>).</summary>
public enum RuleHealth
{
    /// <summary>Not evaluated yet (<c>unknown</c>).</summary>
    Unknown,

    /// <summary>The last evaluation succeeded (<c>ok</c>).</summary>
    Good,

    /// <summary>The last evaluation failed (<c>err</c>).</summary>
    Bad,
}

/// <summary>
/// A recording or alerting rule (Prometheus's <c>rules.Rule</c>): evaluated by its group at one instant, it returns
/// the samples to append, and remembers its health, last error and evaluation time for the API.
/// </summary>
public abstract class Rule
{
    private readonly object _stateLock = new();
    private RuleHealth _health;
    private string? _lastError;
    private DateTimeOffset _lastEvaluation;
    private TimeSpan _evaluationDuration;

    /// <summary>Creates a rule.</summary>
    protected Rule(string name, Expr expr, Labels labels)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Expr = expr ?? throw new ArgumentNullException(nameof(expr));
        Labels = labels ?? throw new ArgumentNullException(nameof(labels));
        Query = ExprPrinter.Print(expr);
    }

    /// <summary>The record or alert name.</summary>
    public string Name { get; }

    /// <summary>The parsed expression.</summary>
    public Expr Expr { get; }

    /// <summary>The expression as Prometheus prints it (<c>vector.String()</c>): the API's <c>query</c>.</summary>
    public string Query { get; }

    /// <summary>The rule's extra labels.</summary>
    public Labels Labels { get; }

    /// <summary>The health after the last evaluation.</summary>
    public RuleHealth Health
    {
        get { lock (_stateLock) { return _health; } }
    }

    /// <summary>The last evaluation's error, or null.</summary>
    public string? LastError
    {
        get { lock (_stateLock) { return _lastError; } }
    }

    /// <summary>When the last evaluation started (wall clock), or default before the first.</summary>
    public DateTimeOffset LastEvaluation
    {
        get { lock (_stateLock) { return _lastEvaluation; } }
    }

    /// <summary>How long the last evaluation took.</summary>
    public TimeSpan EvaluationDuration
    {
        get { lock (_stateLock) { return _evaluationDuration; } }
    }

    /// <summary>Evaluates the rule at <paramref name="ts"/>; throws <see cref="RuleEvaluationException"/> or <see cref="QueryException"/> on failure.</summary>
    public abstract List<VectorSample> Eval(RuleEvaluationContext context, DateTimeOffset ts, int limit, CancellationToken cancellationToken);

    /// <summary>A structural identity for reloads and duplicate detection.</summary>
    public abstract string Identity { get; }

    internal void SetHealth(RuleHealth health, string? error)
    {
        lock (_stateLock)
        {
            _health = health;
            _lastError = error;
        }
    }

    internal void SetEvaluated(DateTimeOffset at, TimeSpan duration)
    {
        lock (_stateLock)
        {
            _lastEvaluation = at;
            _evaluationDuration = duration;
        }
    }

    internal void CopyStateFrom(Rule other)
    {
        lock (other._stateLock)
        {
            lock (_stateLock)
            {
                _health = other._health;
                _lastError = other._lastError;
                _lastEvaluation = other._lastEvaluation;
                _evaluationDuration = other._evaluationDuration;
            }
        }
    }
}

/// <summary>A rule evaluation failure with Prometheus's text (e.g. <c>exceeded limit of 2 with 3 series</c>).</summary>
public sealed class RuleEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleEvaluationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RuleEvaluationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RuleEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

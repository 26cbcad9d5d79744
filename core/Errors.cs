namespace DigitalEconomy.Core;

/// <summary>
/// Bad input the user can fix: a file, a column, a cell, a formula or an option. The message is
/// one line that names where the problem is (file, line, column, unit/time, position) and what
/// was expected.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public InputException(string message) : base(message) { }

    /// <summary>Creates the exception with its one-line message and the underlying cause.</summary>
    public InputException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A model that cannot be estimated on the data given: a singular design, too few clusters,
/// an empty sample, more parameters than observations.
/// </summary>
public sealed class EstimationException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public EstimationException(string message) : base(message) { }
}

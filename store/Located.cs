using YamlDotNet.Core;

namespace DigitalEconomy.Store;

/// <summary>
/// A value read from a YAML file with where it was written. The typed pass (syntax and types) produces records of these;
/// the validation pass that checks them against the dataset names <see cref="At"/> in its one-line errors, so both passes
/// report the same line for the same key (docs/architecture.md, "Reading a study file").
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="At">The start of the YAML node that held it.</param>
public sealed record Located<T>(T Value, Mark At);

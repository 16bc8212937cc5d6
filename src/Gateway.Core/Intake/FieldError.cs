namespace Gateway.Core.Intake;

/// <summary>A field that is wrong, by its path (e.g. <c>header.recipients[1]</c>), and what is expected of it.</summary>
/// <remarks>The description never repeats the field's value: values may be personal data.</remarks>
public sealed record FieldError(string Field, string Description);

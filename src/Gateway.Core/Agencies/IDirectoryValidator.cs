namespace Gateway.Core.Agencies;

/// <summary>
/// Checks one concern of a configured directory (its agencies, its routes, the references between them). A new
/// directory takes effect only when every validator finds nothing; each failure names the entry it is in.
/// </summary>
public interface IDirectoryValidator
{
    IEnumerable<string> Validate(DirectoryOptions directory);
}

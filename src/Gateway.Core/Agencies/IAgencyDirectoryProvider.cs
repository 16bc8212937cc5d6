namespace Gateway.Core.Agencies;

/// <summary>
/// Gives the directory snapshot in effect. Callers take it once at the start of a decision and keep it to the end;
/// the snapshot's change token says when a newer one has replaced it.
/// </summary>
public interface IAgencyDirectoryProvider
{
    AgencyDirectory GetDirectory();
}

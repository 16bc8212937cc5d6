using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

namespace Gateway.Identity;

/// <summary>
/// Calls back whenever one of a set of files is written, replaced (a rename onto it included), created or deleted,
/// through the file system's change notifications: one watcher per folder, however many files it holds. A folder
/// that does not exist is not watched (the file in it cannot be read either, which its reader reports).
/// </summary>
internal sealed class FileWatch : IDisposable
{
    private readonly List<IDisposable> _resources = [];

    public FileWatch(IEnumerable<string> paths, Action changed)
    {
        foreach (var folder in paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).GroupBy(p => Path.GetDirectoryName(p)!))
        {
            if (!Directory.Exists(folder.Key))
            {
                continue;
            }

            var provider = new PhysicalFileProvider(folder.Key, ExclusionFilters.None);
            _resources.Add(provider);
            foreach (var path in folder)
            {
                var name = Path.GetFileName(path);
                _resources.Add(ChangeToken.OnChange(() => provider.Watch(name), changed));
            }
        }
    }

    public void Dispose()
    {
        foreach (var resource in _resources)
        {
            resource.Dispose();
        }
    }
}

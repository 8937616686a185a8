namespace ContentEngine.Model;

public enum AssetKind { Image, Audio, Video, Transcript, Captions, Document }

/// <summary>A file of the program's media with its content hash.</summary>
public sealed record Asset(string Path, AssetKind Kind, long Size, string Sha256, double? DurationSeconds);

/// <summary>Reads the content of the program's assets, refusing bytes that differ from the hash in the graph.</summary>
public sealed class AssetStore
{
    private readonly string? _root;

    public AssetStore(string root) => _root = Path.GetFullPath(root);

    private AssetStore() => _root = null;

    public static AssetStore None { get; } = new();

    public byte[] Read(Asset asset)
    {
        if (_root is null) throw new InvalidOperationException("This graph has no asset store.");
        var bytes = File.ReadAllBytes(Path.Combine(_root, asset.Path));
        if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) != asset.Sha256)
            throw new IOException($"{asset.Path} changed after it was compiled; build again.");
        return bytes;
    }

    public string ReadText(Asset asset) => System.Text.Encoding.UTF8.GetString(Read(asset)).Replace("\r\n", "\n");
}

using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Compilation;

/// <summary>program.yaml's <c>provider</c> and <c>privacy</c>: who offers the program, how to reach them, and what happens to answers.</summary>
public sealed partial class ProgramCompiler
{
    /// <summary>
    /// <c>provider: {name, url, email, phone}</c>: who offers the program and how patients reach them. Warns (CE0605)
    /// when the key is left out, or when it gives a name but no way to reach them; a provider that is there but
    /// faulty has its own error instead.
    /// </summary>
    private ProgramProvider? BindProvider(MappingReader r)
    {
        if (!r.Has("provider"))
        {
            _diagnostics.Report(DiagnosticDescriptors.NoProvider, r.Map.Location, "does not say who offers the program",
                "'provider:' with the clinic's 'name' and at least one of 'url', 'email' and 'phone'");
            return null;
        }
        if (r.Mapping("provider") is not { } pm) return null;
        var pr = new MappingReader(pm, "provider", _context, "name", "url", "email", "phone");
        var name = pr.Text("name", "the clinic's or organisation's name as patients see it");
        var url = pr.String("url");
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)))
        {
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, pr.Node("url")!.Location, "url", $"must be a whole web address starting with https://, such as https://example.org/pain, not '{url}'");
            url = null;
        }
        var email = pr.String("email");
        if (email is not null && !EmailAddress().IsMatch(email))
        {
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, pr.Node("email")!.Location, "email", $"must be an e-mail address such as pain@example.org, not '{email}'");
            email = null;
        }
        var phone = pr.String("phone");
        if (!pr.Has("url") && !pr.Has("email") && !pr.Has("phone"))
            _diagnostics.Report(DiagnosticDescriptors.NoProvider, r.KeyLocation("provider"), "gives no way to reach the provider",
                "at least one of 'url' (such as https://example.org/pain), 'email' or 'phone' under 'provider:'");
        return name is null ? null : new ProgramProvider(name, url, email, phone);
    }

    /// <summary><c>privacy</c>: what is stored where, for how long and who can see it. Warns (CE0606) when left out.</summary>
    private LocalizedText? BindPrivacy(MappingReader r)
    {
        if (!r.Has("privacy")) _diagnostics.Report(DiagnosticDescriptors.NoPrivacy, r.Map.Location);
        return r.Text("privacy");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial System.Text.RegularExpressions.Regex EmailAddress();
}

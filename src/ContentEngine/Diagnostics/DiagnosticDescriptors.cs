namespace ContentEngine.Diagnostics;

/// <summary>
/// Every diagnostic code the compiler reports. Codes are stable: never reuse or renumber one.
/// Each has a page with an example under docs/diagnostics/.
/// </summary>
public static class DiagnosticDescriptors
{
    private static DiagnosticDescriptor Error(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Error);
    private static DiagnosticDescriptor Warning(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Warning);
    private static DiagnosticDescriptor Note(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Note);

    // Files and YAML
    public static readonly DiagnosticDescriptor YamlSyntax = Error("CE0001", "YAML syntax error", "The YAML cannot be read: {0}");
    public static readonly DiagnosticDescriptor EmptyFile = Error("CE0002", "Empty file", "The file is empty; write front matter between '---' lines, or delete the file");
    public static readonly DiagnosticDescriptor BinaryFile = Error("CE0003", "Not a text file", "The file is not UTF-8 text ({0}); save it as UTF-8 Markdown, or move binary files to media/");
    public static readonly DiagnosticDescriptor NoFrontMatter = Error("CE0004", "No front matter", "The file has no front matter: begin it with a '---' line, the YAML keys, and a closing '---' line");
    public static readonly DiagnosticDescriptor UnclosedFrontMatter = Error("CE0005", "Front matter not closed", "The front matter that starts here is never closed; add a line with only '---' after the last key");
    public static readonly DiagnosticDescriptor YamlTooComplex = Error("CE0006", "YAML too deep or too large", "The YAML {0}; simplify it (front matter needs no deep nesting or repeated aliases)");
    public static readonly DiagnosticDescriptor NoProgramFile = Error("CE0007", "No program.yaml", "There is no program.yaml in '{0}'; a program folder needs one (run 'contentengine new' to start from a template)");
    public static readonly DiagnosticDescriptor DuplicateKey = Error("CE0008", "Duplicate key", "The key '{0}' appears twice in the same mapping (first at line {1}); keep one of them");
    public static readonly DiagnosticDescriptor WordProcessorPunctuation = Error("CE0009", "Word-processor punctuation", "This line has {0}, typed in by a word processor or phone, where {1} needs {2}; write it as: {3}");
    public static readonly DiagnosticDescriptor TabIndentation = Error("CE0010", "Tab in YAML", "This line is indented with a tab; YAML needs spaces: replace the tab with spaces{0}");
    public static readonly DiagnosticDescriptor Indentation = Error("CE0011", "Key indented wrongly", "{0}");
    public static readonly DiagnosticDescriptor MarkdownTooDeep = Error("CE0012", "Markdown nested too deep", "The Markdown is nested too deeply by this line: lists, quotations or links inside one another go deeper than the compiler reads; flatten it, no text needs more than a few levels");
    public static readonly DiagnosticDescriptor StrayFence = Error("CE0014", "Closing fence with nothing open", "This '{0}' line closes nothing: no directive is open here{1}, and a line of colons without a name would hide the text after it; remove this line");
    public static readonly DiagnosticDescriptor SourceNotRead = Error("CE0015", "Source file the compiler does not read", "The compiler reads only {0}, so {1} would never reach patients; {2}");
    public static readonly DiagnosticDescriptor SourceInWrongFolder = Error("CE0016", "Source file in the wrong folder", "This file is {0} (it has '{1}'), but it is in {2}/, where the compiler reads {3}; move it to {4}/");
    public static readonly DiagnosticDescriptor ControlCharacter = Error("CE0013", "Control character in text", "This line has the control character {0}, which is invisible and which no text may hold (the audio feed and other outputs cannot carry it); delete it{1}");

    // Keys and values
    public static readonly DiagnosticDescriptor UnknownKey = Error("CE0101", "Unknown key", "Unknown key '{0}' in {1}{2}");
    public static readonly DiagnosticDescriptor MissingKey = Error("CE0102", "Missing required key", "{0} needs the key '{1}': {2}");
    public static readonly DiagnosticDescriptor WrongType = Error("CE0103", "Wrong type", "'{0}' must be {1}, but it is {2}");
    public static readonly DiagnosticDescriptor InvalidValue = Error("CE0104", "Invalid value", "'{0}' {1}");
    public static readonly DiagnosticDescriptor DuplicateId = Error("CE0105", "Duplicate id", "The {0} id '{1}' is already used at {2}; ids must be unique, rename one of them");

    // References and schedule
    public static readonly DiagnosticDescriptor UnknownModule = Error("CE0201", "Unknown module", "There is no module '{0}'{1}");
    public static readonly DiagnosticDescriptor UnknownWorksheet = Error("CE0202", "Unknown worksheet", "There is no worksheet '{0}'{1}");
    public static readonly DiagnosticDescriptor UnknownPhase = Error("CE0203", "Unknown phase", "There is no phase '{0}' in program.yaml{1}");
    public static readonly DiagnosticDescriptor BrokenLink = Error("CE0204", "Broken link", "The link '{0}' points to {1}{2}");
    public static readonly DiagnosticDescriptor RequiresCycle = Error("CE0205", "Requirement cycle", "These modules require each other in a circle, so none can ever open: {0}; remove one of the requirements");
    public static readonly DiagnosticDescriptor RequiresLater = Error("CE0206", "Requires a later module", "'{0}' opens in {1} but requires '{2}', which opens later, in {3}; require an earlier module or move one of them");
    public static readonly DiagnosticDescriptor WeekOutsidePhase = Error("CE0207", "Week outside its phase", "'week: {0}' is outside the phase '{1}', which has weeks 1 to {2}{3}; a module's week counts from the start of its phase");
    public static readonly DiagnosticDescriptor ChooseExceedsOptional = Error("CE0208", "Too few optional modules", "The phase '{0}' asks patients to choose at least {1} of its optional modules, but it has only {2}; lower choose.min or add optional modules");
    public static readonly DiagnosticDescriptor UnplacedWorksheet = Error("CE0210", "Condition reads a worksheet no module places", "No module places the worksheet '{0}', so no patient can ever answer it and this condition never gets an answer from it; place it in a module with '::: worksheet {{ref={0}}}', or read a worksheet that is placed");
    public static readonly DiagnosticDescriptor DiaryLongerThanPhase = Error("CE0211", "Diary longer than its phase", "'{0}' asks for {1} days of entries, but {2}; lower 'days' to {3} or fewer, or place the diary earlier");
    public static readonly DiagnosticDescriptor OfferOnMandatory = Error("CE0209", "Offer on a mandatory module", "'{0}' only applies to optional modules; add 'optional: true' or remove it");

    // Conditions
    public static readonly DiagnosticDescriptor ConditionSyntax = Error("CE0301", "Condition syntax error", "The condition cannot be read: {0}");
    public static readonly DiagnosticDescriptor ConditionUnknownName = Error("CE0302", "Unknown name in condition", "{0}{1}");
    public static readonly DiagnosticDescriptor ConditionType = Error("CE0303", "Condition type error", "{0}");
    public static readonly DiagnosticDescriptor ConditionNeverTrue = Warning("CE0304", "Comparison that can never be true", "This comparison can never be true: {0}; compare with a value inside that range, or correct the field's min and max");
    public static readonly DiagnosticDescriptor ConditionUnknownOption = Error("CE0305", "Choice compared with a value it does not have", "'{0}' has no option {1}{2}");

    // Markdown, media and accessibility
    public static readonly DiagnosticDescriptor ImageWithoutAlt = Error("CE0401", "Image without alt text", "The image '{0}' has no alt text; describe it between the brackets: ![what the image shows]({0})");
    public static readonly DiagnosticDescriptor AudioWithoutTranscript = Error("CE0402", "Audio without transcript", "The audio '{0}' has no transcript; add transcript=\"media/….txt\" with the words spoken");
    public static readonly DiagnosticDescriptor VideoWithoutCaptions = Error("CE0403", "Video without captions", "The video '{0}' has no captions; add captions=\"media/….vtt\"");
    public static readonly DiagnosticDescriptor MissingAsset = Error("CE0404", "Missing file", "The file '{0}' does not exist{1}");
    public static readonly DiagnosticDescriptor AssetOutsideProgram = Error("CE0405", "Path leaves the program folder", "The path '{0}' leaves the program folder; {1}");
    public static readonly DiagnosticDescriptor RawHtml = Error("CE0406", "Raw HTML", "Raw HTML is not allowed in content ({0}); use Markdown and directives instead");
    public static readonly DiagnosticDescriptor UnknownDirective = Error("CE0407", "Unknown directive", "Unknown directive '::: {0}'{1}");
    public static readonly DiagnosticDescriptor DirectiveAttribute = Error("CE0408", "Directive attribute problem", "'::: {0}' {1}");
    public static readonly DiagnosticDescriptor ExternalMedia = Error("CE0409", "Media from outside the program", "'{0}' would be fetched from outside the program; copy the file into media/ and refer to it there");
    public static readonly DiagnosticDescriptor UnclosedDirective = Error("CE0410", "Directive not closed", "'::: {0}' is never closed{1}");
    public static readonly DiagnosticDescriptor ConditionalSafety = Error("CE0411", "Safety message that not everyone gets", "A safety message must reach every patient, but this one is inside {0}, so {1}; move it outside the '::: {2}' block");
    public static readonly DiagnosticDescriptor LowContrast = Error("CE0412", "Colour with too little contrast", "'{0}' {1} has a contrast of only {2} against the {3} page background {4}, where links, headings and button labels use it; text needs at least 4.5:1 (WCAG AA){5}");
    public static readonly DiagnosticDescriptor PauseLength = Error("CE0413", "Pause length not allowed", "'::: pause' needs seconds as a whole number from {0} to {1}, not '{2}'{3}");
    public static readonly DiagnosticDescriptor PauseContent = Error("CE0414", "Content not allowed in a pause", "A pause may hold only the words said before its silence, in plain paragraphs; {0} cannot go inside it{1}");
    public static readonly DiagnosticDescriptor UnsafeMedia = Error("CE0415", "Unsafe media", "'{0}' {1}; {2}");
    public static readonly DiagnosticDescriptor EmptyModule = Error("CE0416", "Empty module", "The module '{0}' has no text after its front matter, so a patient who opens it finds an empty page; write its text below this line, or delete the file");
    public static readonly DiagnosticDescriptor MarkdownMisread = Warning("CE0417", "Markdown that reads differently than it looks", "{0}");
    public static readonly DiagnosticDescriptor UndefinedFootnote = Error("CE0418", "Footnote without its text", "The footnote '[^{0}]' has no text, so patients see '[^{0}]' itself; add a line '[^{0}]: …' with its text at the end of the file{1}");
    public static readonly DiagnosticDescriptor UnknownAnchor = Error("CE0419", "Link to a place that does not exist", "The link '{0}' goes to the id '{1}', but {2} has no heading or paragraph with that id; {3}");
    public static readonly DiagnosticDescriptor NameCase = Error("CE0420", "File name in the wrong case", "'{0}' differs from the file's name '{1}' only in upper and lower case: a Windows or macOS laptop finds it, but a Linux server does not; write '{2}'");
    public static readonly DiagnosticDescriptor MediaFormat = Error("CE0421", "Media file of the wrong kind", "'{0}' {1}; {2}");
    public static readonly DiagnosticDescriptor RecordingLanguage = Warning("CE0422", "Recording in another language", "The recording '{0}' speaks '{1}'{2}, but this is the '{3}' text, so its listeners would hear a language they may not understand; give '{3}' its own recording (src=\"…\" lang=\"{3}\"), or a transcript in '{3}' named like '{4}', whose words the '{3}' track then speaks. Left as it is, the page and the track say in which language it is recorded");

    // Translations
    public static readonly DiagnosticDescriptor TranslationStructure = Error("CE0501", "Translation differs from its original", "This translation differs from its original '{0}': {1}");
    public static readonly DiagnosticDescriptor MissingTranslation = Warning("CE0502", "Missing translation", "{0} has no '{1}' translation{2}");
    public static readonly DiagnosticDescriptor OrphanTranslation = Error("CE0503", "Translation without original", "'{0}' looks like a translation, but there is no original '{1}' beside it");
    public static readonly DiagnosticDescriptor TranslationLocale = Error("CE0504", "Translation for an unknown locale", "The file name ends in '.{0}.md', so it is read as a translation, but '{0}' is not one of the program's locales ({1}); {2}");
    public static readonly DiagnosticDescriptor StaleTranslation = Warning("CE0505", "Translation of an older source", "The '{0}' source of this text has changed since it was translated into '{1}': it said {2} and now says {3}; update the translation, then record it as up to date with 'contentengine translate record <program> {4}' (or import it with 'contentengine translate import')");
    public static readonly DiagnosticDescriptor TranslationRecordUnreadable = Error("CE0506", "Translation record cannot be read", "The translation record cannot be read: {0}");

    // Snippets
    public static readonly DiagnosticDescriptor UnknownSnippet = Error("CE0440", "Unknown snippet", "There is no snippet '{0}'{1}");
    public static readonly DiagnosticDescriptor SnippetCycle = Error("CE0441", "Snippets that include each other", "'{0}' is included inside itself ({1}), so its text would never end; remove the include that leads back");
    public static readonly DiagnosticDescriptor IncludeTooDeep = Error("CE0442", "Includes nested too deep", "This include stands {0} includes deep ({1}), more than the {2} allowed; include the inner snippet from the module itself, or join snippets into one");
    public static readonly DiagnosticDescriptor SnippetFrontMatter = Warning("CE0443", "Snippet with front matter", "A snippet has no front matter: it takes its place, week and title from the module that includes it, so lines 1 to {0} are left out; delete them");
    public static readonly DiagnosticDescriptor UnusedSnippet = Warning("CE0444", "Unused snippet", "'{0}' is not included by any module or worksheet; include it with '::: include {{ref={1}}}' where its text belongs, or delete it");

    // Advice
    public static readonly DiagnosticDescriptor EstimatedTime = Warning("CE0601", "Module takes longer than its minutes", "'{0}' says {1} minutes, but its text, audio, exercises and worksheets come to {2} ({3}); patients plan their week by this figure: raise 'minutes', or shorten the content");
    public static readonly DiagnosticDescriptor ReviewOverdue = Warning("CE0602", "Review overdue", "The content review was due on {0}; review the module and set a new 'review.next' date");
    public static readonly DiagnosticDescriptor UnusedMedia = Warning("CE0603", "Unused media", "'{0}' is not used by any module or worksheet; use it or delete it");
    public static readonly DiagnosticDescriptor HardToRead = Warning("CE0604", "Text harder to read than the program allows", "The '{1}' text of '{0}' is hard to read: {2}, where program.yaml asks for {3} ({4}); its longest sentences are {5}, and its longest words {6}: split long sentences and say long words in everyday ones, or set readability.{7} in program.yaml");
    public static readonly DiagnosticDescriptor NoProvider = Warning("CE0605", "No provider or no way to reach them", "program.yaml {0}: add {1}; every web page's footer shows who offers the program and how patients reach them");
    public static readonly DiagnosticDescriptor NoPrivacy = Warning("CE0606", "No privacy text", "program.yaml does not say what happens to patients' answers: add 'privacy:' saying what is stored where, for how long and who can see it; without it the web bundle's privacy page has only the theme's general words");

    // Worksheets
    public static readonly DiagnosticDescriptor UnknownField = Error("CE0701", "Unknown field", "The worksheet '{0}' has no field '{1}'{2}");
    public static readonly DiagnosticDescriptor ScoringItemType = Error("CE0702", "Score item is not numeric", "The item '{0}' is a {1} field; scores can only add numbers (number, integer, scale, or choice with numeric values)");

    // Program paths: what `explore` finds over every patient who can go through the program
    public static readonly DiagnosticDescriptor OfferNever = Warning("CE0801", "Optional module never recommended", "No patient is ever recommended '{0}': its offer_when holds for none of the answers the fields allow{1}; check the numbers and options it compares with");
    public static readonly DiagnosticDescriptor OfferAlways = Warning("CE0802", "Optional module always recommended", "Every patient is recommended '{0}': its offer_when holds whatever the answers{1}; if everyone should have it, make it mandatory, else change the condition");
    public static readonly DiagnosticDescriptor BlockNever = Warning("CE0803", "Content no patient sees", "No patient ever sees this '::: if' block: its condition holds {0}{1}; check the numbers and options it compares with");
    public static readonly DiagnosticDescriptor BlockAlways = Warning("CE0804", "Content every patient sees", "Every patient sees this '::: if' block: its condition holds for {0}{1}; leave out the '::: if', or change the condition");
    public static readonly DiagnosticDescriptor PartChangesNothing = Warning("CE0805", "Part of a condition that changes nothing", "'{0}' never changes what the condition gives: {2}, the rest of the '{1}' decides alone{3}; remove it, or check what you meant");
    public static readonly DiagnosticDescriptor NeverOpens = Warning("CE0806", "Module some patients can never open", "Some patients can never open '{0}': it requires {1}, which is optional, so patients who do not choose {2} never get it; require only modules every patient has, or fold '{0}' into the module it needs");
    public static readonly DiagnosticDescriptor PhaseRecommendations = Warning("CE0807", "Phase that recommends none to patients who must choose", "In the phase '{0}', {1}{2}; {3}");
    public static readonly DiagnosticDescriptor SafetyNotPassed = Warning("CE0808", "Safety message some patients never pass", "This safety message is in the optional module '{0}', so patients who do not choose it never pass it; say the same in a module every patient opens as well, or make it a '::: warning' if it is meant only for those who choose the module");
    public static readonly DiagnosticDescriptor RecommendsMoreThanChosen = Note("CE0810", "More recommended than may be chosen", "In the phase '{0}', some patients are recommended {1} of its optional modules at once, but may choose at most {2}{3}; they pick among them, which is fine when that is the intent: to have fewer recommended, narrow the offer_when conditions, or raise choose.max");
    public static readonly DiagnosticDescriptor WeekOverLimit = Warning("CE0809", "Week over the time limit", "In week {0} a patient can be given {1} minutes, more than max_minutes_per_week ({2}) in program.yaml: {3}; spread the modules over more weeks, or shorten them");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
        [.. typeof(DiagnosticDescriptors).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)];
}

using ContentEngine.Model;

namespace ContentEngine.Rendering.Web;

/// <summary>A worksheet as an HTML form that the theme's worksheets.js fills, saves and restores.</summary>
public static class WorksheetForm
{
    public static string Render(Worksheet worksheet, PageContext page) =>
        $"<form class=\"ce-worksheet\" data-worksheet=\"{Html.Attr(worksheet.Id)}\"></form>";
}

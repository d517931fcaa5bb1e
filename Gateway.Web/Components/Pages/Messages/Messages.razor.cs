using Gateway.Core.Domain;
using Gateway.Core.Operations;
using Gateway.Web.Dashboard;
using Microsoft.AspNetCore.Components;

namespace Gateway.Web.Components.Pages.Messages;

public sealed partial class Messages
{
    private const int PageSize = 50;

    private readonly CancellationTokenSource stopping = new();
    private readonly HashSet<Guid> selected = [];
    private readonly Stack<MessageCursor?> previous = new();
    private MessageFilterForm draft = new();
    private MessageQuery query = new();
    private MessageCursor? current;
    private MessagePage? page;
    private ActionOutcome? outcome;
    private bool confirmCancel;

    [SupplyParameterFromQuery(Name = "state")]
    public string? StateParameter { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? SearchParameter { get; set; }

    [SupplyParameterFromQuery(Name = "sender")]
    public string? SenderParameter { get; set; }

    [SupplyParameterFromQuery(Name = "recipient")]
    public string? RecipientParameter { get; set; }

    [SupplyParameterFromQuery(Name = "subject")]
    public string? SubjectParameter { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public DateTime? FromParameter { get; set; }

    [SupplyParameterFromQuery(Name = "until")]
    public DateTime? UntilParameter { get; set; }

    private bool AllSelected => page is { Rows.Count: > 0 } && page.Rows.All(r => selected.Contains(r.Id));

    protected override async Task OnParametersSetAsync()
    {
        draft = new MessageFilterForm
        {
            State = Enum.TryParse<RecipientState>(StateParameter, out var state) ? state : null,
            Search = SearchParameter,
            Sender = SenderParameter,
            Recipient = RecipientParameter,
            Subject = SubjectParameter,
            From = FromParameter,
            Until = UntilParameter,
        };
        query = draft.ToQuery();
        current = null;
        previous.Clear();
        await LoadAsync();
    }

    protected override void OnInitialized()
    {
        if (RendererInfo.IsInteractive)
        {
            _ = LiveRefresh.RunAsync(TimeSpan.FromSeconds(3), () => InvokeAsync(LoadAsync), stopping.Token);
        }
    }

    private async Task LoadAsync()
    {
        page = await Data.MessagesAsync(query, current, PageSize, stopping.Token);
        StateHasChanged();
    }

    private Task ApplyFiltersAsync()
    {
        // Filters live in the address so that a filtered view can be bookmarked and shared.
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["state"] = draft.State?.ToString(),
            ["q"] = Blank(draft.Search),
            ["sender"] = Blank(draft.Sender),
            ["recipient"] = Blank(draft.Recipient),
            ["subject"] = Blank(draft.Subject),
            ["from"] = draft.From,
            ["until"] = draft.Until,
        }));
        return Task.CompletedTask;
    }

    private Task ClearFiltersAsync()
    {
        draft = new MessageFilterForm();
        return ApplyFiltersAsync();
    }

    private Task OlderAsync()
    {
        previous.Push(current);
        current = page?.Next;
        return LoadAsync();
    }

    private Task NewerAsync()
    {
        current = previous.Count > 0 ? previous.Pop() : null;
        return LoadAsync();
    }

    private void Toggle(Guid id)
    {
        if (!selected.Remove(id))
        {
            selected.Add(id);
        }
    }

    private void ToggleAll()
    {
        if (page is null)
        {
            return;
        }

        if (AllSelected)
        {
            selected.ExceptWith(page.Rows.Select(r => r.Id));
        }
        else
        {
            selected.UnionWith(page.Rows.Select(r => r.Id));
        }
    }

    private async Task ActAsync(OperatorAction action)
    {
        confirmCancel = false;
        outcome = await Actions.ApplyAsync(action, [.. selected], null, stopping.Token);
        if (outcome.Succeeded)
        {
            selected.Clear();
        }

        await LoadAsync();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }
}

using Gateway.Core.Domain;
using Gateway.Web.Dashboard;

namespace Gateway.Tests.Dashboard;

public sealed class MessageQueryTests
{
    [Fact]
    public void SearchPattern_LikeWildcards_AreEscaped()
    {
        Assert.Equal("%100\\%\\_off\\\\%", new MessageQuery { Search = " 100%_off\\ " }.SearchPattern());
    }

    [Fact]
    public void ToFilter_BlankFields_DoNotFilter()
    {
        var filter = new MessageQuery { Sender = " ", Recipient = "", Subject = null }.ToFilter();

        Assert.True(filter.IsEmpty);
    }

    [Fact]
    public void ToFilter_TypedFields_AreTrimmed()
    {
        var filter = new MessageQuery { State = RecipientState.Failed, Sender = " app@example.test " }.ToFilter();

        Assert.Equal("app@example.test", filter.Sender);
        Assert.Equal(RecipientState.Failed, filter.State);
    }
}

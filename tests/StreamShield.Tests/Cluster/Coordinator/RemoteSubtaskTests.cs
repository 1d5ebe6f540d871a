using StreamShield.Cluster.Coordinator;
using StreamShield.Runtime.Graph;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Tests.Cluster.Coordinator;

/// <summary>The coordinator's view of a subtask's state only moves forward, whatever order the worker's reports arrive in.</summary>
public sealed class RemoteSubtaskTests
{
    private static RemoteSubtask Subtask() => new(null!, new SubtaskId(0, 0), "Source (1/1)", isSource: true, isSink: false, null!);

    [Fact]
    public void A_running_report_that_arrives_after_data_finished_is_ignored()
    {
        // The heartbeat thread reports "running" and the subtask thread "data finished"; the second can overtake the first.
        // Before, the late "running" put the subtask back to Running and the job never took its final checkpoint (it hung).
        var s = Subtask();
        Assert.True(s.Advance(TaskState.Running));
        Assert.True(s.Advance(TaskState.DataFinished));
        Assert.False(s.Advance(TaskState.Running));
        Assert.Equal(TaskState.DataFinished, s.State);
        Assert.True(s.Advance(TaskState.Terminated));
        Assert.False(s.Advance(TaskState.DataFinished));
        Assert.Equal(TaskState.Terminated, s.State);
    }

    [Fact]
    public void Data_finished_may_come_first_and_failure_overrides_any_live_state()
    {
        var s = Subtask();
        Assert.True(s.Advance(TaskState.DataFinished));
        Assert.False(s.Advance(TaskState.Running));
        Assert.True(s.Advance(TaskState.Failed));
        Assert.Equal(TaskState.Failed, s.State);
    }
}

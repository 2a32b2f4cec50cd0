using Handoff.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Handoff.Grains.Contacts;

/// <summary>
/// Writes the contact's state: before answering for a change a person made (<see cref="StoreAsync"/>), right after
/// answering for a card transition (<see cref="StoreInBackground"/>), otherwise as a checkpoint some time after the
/// change (<see cref="ContactOptions.CheckpointInterval"/>), in one of the silo's checkpoint places, since the journal
/// can replay what the checkpoint would hold. A failed write abandons the activation.
/// </summary>
internal sealed partial class ContactCheckpoints
{
    private readonly IGrainBase grain;
    private readonly IPersistentState<ContactState> store;
    private readonly ContactModel model;
    private readonly SeenSegments seenSegments;
    private readonly CheckpointThrottle throttle;
    private readonly TimeProvider time;
    private readonly ContactOptions options;
    private readonly ILogger logger;
    private readonly CoalescedWrites writes;
    private IGrainTimer? checkpoint;

    /// <summary>Counts the changes applied in memory; <see cref="savedVersion"/> is the count the last write held.</summary>
    private long version;
    private long savedVersion;

    public ContactCheckpoints(IGrainBase grain, IPersistentState<ContactState> store, ContactModel model, SeenSegments seenSegments,
        CheckpointThrottle throttle, TimeProvider time, ContactOptions options, ILogger logger)
    {
        this.grain = grain;
        this.store = store;
        this.model = model;
        this.seenSegments = seenSegments;
        this.throttle = throttle;
        this.time = time;
        this.options = options;
        this.logger = logger;
        writes = new CoalescedWrites(WriteStateAsync);
    }

    /// <summary>A write failed: memory may hold what storage does not, so nothing more is written from it.</summary>
    public bool Abandoned { get; private set; }

    private bool Unsaved => version != savedVersion;

    /// <summary>Counts a change made in memory, which the next write stores.</summary>
    public void Changed() => version++;

    /// <summary>Stores the state now; a failure abandons the activation.</summary>
    public async Task StoreAsync()
    {
        try
        {
            await writes.WriteAsync();
        }
        catch
        {
            Abandon();
            throw;
        }
    }

    /// <summary>
    /// Starts writing the state now without holding up the caller, outside the checkpoint places: for a change the
    /// journal can replay but that must reach storage before a crash could leave it to a late checkpoint (a card
    /// transition, whose effects are going out). A failure abandons the activation, as any failed write does.
    /// </summary>
    public void StoreInBackground() => _ = StoreOrAbandonAsync();

    private async Task StoreOrAbandonAsync()
    {
        try
        {
            await writes.WriteAsync();
        }
        catch (Exception e)
        {
            LogCheckpointFailed(e);
            Abandon();
        }
    }

    /// <summary>Asks for a checkpoint after the checkpoint interval, unless one is due already.</summary>
    public void Schedule() => Schedule(options.CheckpointInterval);

    /// <summary>On deactivation: the state as it is now, if a place is free. A failure loses nothing (the journal has it).</summary>
    public async Task CheckpointOnDeactivationAsync()
    {
        try
        {
            // Without a place the state is left as last written: the next activation replays the journal since then.
            await TryCheckpointAsync();
        }
        catch (Exception e)
        {
            LogCheckpointFailed(e);
        }
    }

    /// <summary>
    /// Memory may now differ from storage: nothing more is written from it, and the activation goes once this call
    /// ends, so that the next one starts from the stored state and the journal.
    /// </summary>
    public void Abandon()
    {
        Abandoned = true;
        checkpoint?.Dispose();
        checkpoint = null;
        grain.DeactivateOnIdle();
    }

    private void Schedule(TimeSpan after) =>
        checkpoint ??= grain.RegisterGrainTimer(CheckpointAsync, new GrainTimerCreationOptions(after, Timeout.InfiniteTimeSpan) { KeepAlive = false });

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        checkpoint?.Dispose();
        checkpoint = null;
        try
        {
            if (!await TryCheckpointAsync())
            {
                Schedule(options.CheckpointBusyDelay);
            }
        }
        catch (Exception e)
        {
            LogCheckpointFailed(e);
            Abandon();
        }
    }

    /// <summary>
    /// Writes the state if it holds changes not written yet, in one of the silo's checkpoint places. False, writing
    /// nothing, when every place is taken.
    /// </summary>
    private async Task<bool> TryCheckpointAsync()
    {
        if (!Unsaved || Abandoned)
        {
            return true;
        }

        using var place = throttle.TryEnter();
        if (place is null)
        {
            return false;
        }

        await writes.WriteAsync();
        return true;
    }

    /// <summary>
    /// Writes the whole state, marking it as a checkpoint of everything journaled until now. Only through
    /// <see cref="writes"/>: effect delivery runs beside requests, and two writes at once would conflict.
    /// </summary>
    private async Task WriteStateAsync()
    {
        var now = time.GetUtcNow();
        var writing = version;
        await seenSegments.PrepareForWriteAsync(now);
        model.PrepareForWrite(now);
        // The state the store writes is the model's own (one object): effect delivery and the next calls go on changing
        // it while the write is under way, which is sound because the Handoff store takes it at the call
        // (IStateTakenAtWrite, required at activation). The window's stored form goes as soon as the write is done, so
        // that it dies young instead of outliving the next collections.
        try
        {
            await store.WriteStateAsync();
        }
        finally
        {
            model.ReleaseStoredForms();
        }

        savedVersion = writing;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the contact failed; its events stay in the journal and are replayed when it next activates.")]
    private partial void LogCheckpointFailed(Exception exception);
}

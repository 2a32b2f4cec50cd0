namespace Handoff.Grains;

/// <summary>
/// A grain storage that takes a state's stored form when <c>WriteStateAsync</c> is called, before the call first
/// yields. A grain may go on changing its state as soon as the call has returned its task, without writing a copy: what
/// is stored is the state as it was at the call.
/// </summary>
public interface IStateTakenAtWrite;

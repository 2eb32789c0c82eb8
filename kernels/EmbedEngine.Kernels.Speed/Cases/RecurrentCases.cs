using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>
/// The fused LSTM cell of one time step, forward and backward, on <see cref="SpeedShapes.LstmBatch"/> rows of
/// <see cref="SpeedShapes.LstmHidden"/>: element-wise and in L2, so counted in bytes moved, as the dense cases are.
/// </summary>
internal static unsafe class RecurrentCases
{
    private const int Hidden = SpeedShapes.LstmHidden, State = SpeedShapes.LstmBatch * Hidden, Gates = 4 * State;

    private static readonly string Shape = $"B={SpeedShapes.LstmBatch}, H={Hidden}";

    /// <summary>
    /// Reads the four gates and c₋₁, writes the four activated gates, c, tanh c and h: 12 floats, 48 bytes, per state
    /// element. The activated gates overwrite the pre-activations, so later calls activate values in (−1, 1): as fast.
    /// </summary>
    public static SpeedCase Forward()
    {
        var operands = new Operands();
        float* gates = operands.Vector(Gates, salt: 1), previousCell = operands.Vector(State, salt: 2);
        float* cell = operands.Vector(State, 0f), tanhCell = operands.Vector(State, 0f), hidden = operands.Vector(State, 0f);
        return SpeedCase.Of<LstmForwardFn>("LstmCellForward", Shape, Work.Bytes(48.0 * State),
            (LstmCellKernel.ForwardScalar, LstmCellKernel.ForwardAvx2, LstmCellKernel.ForwardAvx512),
            step => () => step(Hidden, new Span<float>(gates, Gates), new ReadOnlySpan<float>(previousCell, State), new Span<float>(cell, State),
                new Span<float>(tanhCell, State), new Span<float>(hidden, State)),
            operands);
    }

    /// <summary>
    /// Reads the four gates, c₋₁, tanh c, dh and dc₊, writes the four gate gradients and dc: 13 floats, 52 bytes, per
    /// state element. The gates and tanh c are a forward step's, so the derivatives see real activations.
    /// </summary>
    public static SpeedCase Backward()
    {
        var operands = new Operands();
        float* gates = operands.Vector(Gates, salt: 1), previousCell = operands.Vector(State, salt: 2), tanhCell = operands.Vector(State, 0f);
        LstmCellKernel.Forward(Hidden, new Span<float>(gates, Gates), new ReadOnlySpan<float>(previousCell, State),
            new Span<float>(operands.Vector(State, 0f), State), new Span<float>(tanhCell, State), new Span<float>(operands.Vector(State, 0f), State));
        float* hiddenGrad = operands.Vector(State, 0.1f, salt: 3), cellGrad = operands.Vector(State, 0.1f, salt: 4), gateGrad = operands.Vector(Gates, 0f);
        return SpeedCase.Of<LstmBackwardFn>("LstmCellBackward", Shape, Work.Bytes(52.0 * State),
            (LstmCellKernel.BackwardScalar, LstmCellKernel.BackwardAvx2, LstmCellKernel.BackwardAvx512),
            step => () => step(Hidden, new ReadOnlySpan<float>(gates, Gates), new ReadOnlySpan<float>(previousCell, State),
                new ReadOnlySpan<float>(tanhCell, State), new ReadOnlySpan<float>(hiddenGrad, State), new Span<float>(cellGrad, State),
                new Span<float>(gateGrad, Gates)),
            operands);
    }
}

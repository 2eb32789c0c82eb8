using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

public class SigmoidTests
{
    [Fact]
    public void Table_stays_within_a_hundredth_of_the_exact_sigmoid_over_its_range()
    {
        double worst = 0;
        for (float x = -5.999f; x < Sigmoid.MaxInput; x += 0.0007f)
        {
            float table = 1f - Sigmoid.Residual(x, 1f, SigmoidMode.Table);
            worst = Math.Max(worst, Math.Abs(table - Sigmoid.Exact(x)));
        }
        Assert.InRange(worst, 1e-4, 0.01);
    }

    [Fact]
    public void Table_loss_stays_within_two_hundredths_of_the_exact_loss()
    {
        for (float x = -5.999f; x < Sigmoid.MaxInput; x += 0.0007f)
        {
            Assert.InRange(Sigmoid.Loss(x, 1f, SigmoidMode.Table) - Sigmoid.Loss(x, 1f, SigmoidMode.Exact), -0.02f, 0.02f);
            Assert.InRange(Sigmoid.Loss(x, 0f, SigmoidMode.Table) - Sigmoid.Loss(x, 0f, SigmoidMode.Exact), -0.02f, 0.02f);
        }
    }

    [Theory]
    [InlineData(6f)]
    [InlineData(6.5f)]
    [InlineData(1e30f)]
    public void Table_saturates_above_max_input(float x)
    {
        Assert.Equal(0f, Sigmoid.Residual(x, 1f, SigmoidMode.Table));
        Assert.Equal(-1f, Sigmoid.Residual(x, 0f, SigmoidMode.Table));
        Assert.Equal(0f, Sigmoid.Loss(x, 1f, SigmoidMode.Table));
        Assert.Equal(0f, Sigmoid.Loss(-x, 0f, SigmoidMode.Table));
        Assert.InRange(Sigmoid.Loss(-x, 1f, SigmoidMode.Table), 6f, 6.01f);
    }

    [Fact]
    public void Table_lookup_stays_in_range_just_below_max_input()
    {
        // 6 − 1 ulp: x + 6 rounds to 12 in float, one past the last table slot without the clamp.
        float x = MathF.BitDecrement(Sigmoid.MaxInput);
        Assert.InRange(Sigmoid.Residual(x, 1f, SigmoidMode.Table), 0f, 0.003f);
        Assert.InRange(Sigmoid.Residual(-x, 0f, SigmoidMode.Table), -0.003f, 0f);
        Assert.InRange(Sigmoid.Loss(x, 1f, SigmoidMode.Table), 0f, 0.003f);
        Assert.InRange(Sigmoid.Loss(-x, 1f, SigmoidMode.Table), 5.99f, 6.01f);
    }

    [Theory]
    [InlineData(-6f)]
    [InlineData(-6.5f)]
    [InlineData(-1e30f)]
    public void Table_saturates_below_minus_max_input(float x)
    {
        Assert.Equal(1f, Sigmoid.Residual(x, 1f, SigmoidMode.Table));
        Assert.Equal(0f, Sigmoid.Residual(x, 0f, SigmoidMode.Table));
    }

    [Theory]
    [InlineData(6f)]
    [InlineData(-6f)]
    [InlineData(9f)]
    [InlineData(-1e30f)]
    public void Skip_saturated_gives_no_residual_at_or_beyond_max_input(float x)
    {
        Assert.Equal(0f, Sigmoid.Residual(x, 1f, SigmoidMode.SkipSaturated));
        Assert.Equal(0f, Sigmoid.Residual(x, 0f, SigmoidMode.SkipSaturated));
        Assert.Equal(Sigmoid.Loss(x, 1f, SigmoidMode.Table), Sigmoid.Loss(x, 1f, SigmoidMode.SkipSaturated));
        Assert.Equal(Sigmoid.Loss(x, 0f, SigmoidMode.Table), Sigmoid.Loss(x, 0f, SigmoidMode.SkipSaturated));
    }

    [Fact]
    public void Skip_saturated_is_the_table_inside_max_input()
    {
        for (float x = MathF.BitIncrement(-Sigmoid.MaxInput); x < Sigmoid.MaxInput; x += 0.0007f)
        {
            Assert.Equal(Sigmoid.Residual(x, 1f, SigmoidMode.Table), Sigmoid.Residual(x, 1f, SigmoidMode.SkipSaturated));
            Assert.Equal(Sigmoid.Residual(x, 0f, SigmoidMode.Table), Sigmoid.Residual(x, 0f, SigmoidMode.SkipSaturated));
        }
        float below = MathF.BitDecrement(Sigmoid.MaxInput);
        Assert.Equal(Sigmoid.Residual(below, 0f, SigmoidMode.Table), Sigmoid.Residual(below, 0f, SigmoidMode.SkipSaturated));
    }

    [Fact]
    public void Exact_matches_the_closed_form()
    {
        Assert.Equal(0.5f, Sigmoid.Exact(0f));
        Assert.Equal(1 / (1 + Math.Exp(-2)), Sigmoid.Exact(2f), 6);
        Assert.Equal(1 / (1 + Math.Exp(3)), Sigmoid.Exact(-3f), 6);
        Assert.Equal(Math.Log(2), Sigmoid.Loss(0f, 1f, SigmoidMode.Exact), 6);
        Assert.Equal(Math.Log(1 + Math.Exp(-4)), Sigmoid.Loss(-4f, 0f, SigmoidMode.Exact), 6);
    }

    [Fact]
    public void Residual_is_label_minus_sigmoid_near_zero()
    {
        Assert.Equal(0.5f, Sigmoid.Residual(0f, 1f, SigmoidMode.Table), 2);
        Assert.Equal(-0.5f, Sigmoid.Residual(0f, 0f, SigmoidMode.Table), 2);
        Assert.Equal(1f - Sigmoid.Exact(1.25f), Sigmoid.Residual(1.25f, 1f, SigmoidMode.Exact));
    }
}

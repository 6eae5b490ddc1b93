using UlcAg.Graph.Autodiff;
using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class CompositeTests
{
    private const string Op = "TestCube";

    // x^3 as a composite whose rule deliberately returns 4x^2 dy (not 3x^2 dy): the gradient shows which rule ran.
    private static Node Cube(GraphBuilder g, Value x) => g.Composite(Op, [x], () => [x * x * x]);

    private static GradientRegistry RegistryWithCube()
    {
        var r = GradientRegistry.CreateDefault();
        r.Register(Op, c => [c.GO0 * c.I(0) * c.I(0) * 4.0]);
        return r;
    }

    [TestMethod]
    public void AutodiffUsesTheCompositeRuleNotThePrimitives()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        var y = Cube(g, x).Outputs[0];
        var grad = Autodiff.Autodiff.Gradients(g.SumAll(y), [x], registry: RegistryWithCube())[0];
        g.Output(grad, "grad");
        g.Output(y, "y");
        using var runner = new ModelRunner(g);
        var result = runner.Run(new Dictionary<string, (Array, long[])> { ["x"] = (new[] { 1f, -2f, 0.5f }, [3]) });
        CollectionAssert.AreEqual(new[] { 4f, 16f, 1f }, (float[])result["grad"]);
        CollectionAssert.AreEqual(new[] { 1f, -8f, 0.125f }, (float[])result["y"]);
    }

    [TestMethod]
    public void CompositeIsNotWrittenToOnnx()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        g.Output(Cube(g, x).Outputs[0], "y");
        var model = g.ToModel();
        CollectionAssert.AreEqual(new[] { "Mul", "Mul" }, model.Graph.Node.Select(n => n.OpType).ToArray());
        Assert.IsFalse(model.Graph.Node.Any(n => n.Domain == GraphBuilder.CompositeDomain));
    }

    [TestMethod]
    public void MissingCompositeRuleFailsWithTheOpName()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        var y = Cube(g, x).Outputs[0];
        var e = Assert.ThrowsExactly<GradientException>(() => Autodiff.Autodiff.Gradients(g.SumAll(y), [x]));
        StringAssert.Contains(e.Message, $"'{Op}'");
    }

    [TestMethod]
    public void ReadingAnInternalValueFromOutsideFails()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        Value? square = null;
        var y = g.Composite(Op, [x], () =>
        {
            square = x * x;
            return [square * x];
        }).Outputs[0];
        var loss = g.SumAll(y + square!);
        var e = Assert.ThrowsExactly<GradientException>(() => Autodiff.Autodiff.Gradients(loss, [x], registry: RegistryWithCube()));
        StringAssert.Contains(e.Message, "internal value");
    }

    [TestMethod]
    public void DifferentiableValueMissingFromTheInputsFails()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        var w = g.Input("w", DType.Float, 3);
        var y = g.Composite(Op, [x], () => [x * x * w]).Outputs[0];
        var e = Assert.ThrowsExactly<GradientException>(() => Autodiff.Autodiff.Gradients(g.SumAll(y), [x, w], registry: RegistryWithCube()));
        StringAssert.Contains(e.Message, "'w'");
    }

    [TestMethod]
    public void NestedCompositesAndOutsideOutputsAreRejected()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        Assert.ThrowsExactly<InvalidOperationException>(() => g.Composite("Outer", [x], () => Cube(g, x).Outputs));
        Assert.ThrowsExactly<ArgumentException>(() => g.Composite("PassThrough", [x], () => [x]));
    }
}

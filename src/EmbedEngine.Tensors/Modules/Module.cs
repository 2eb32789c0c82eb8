using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// A layer or a network of layers: named parameters and child modules in registration order, a training or
/// evaluation mode, and saving and loading every parameter as safetensors under dotted names ("layers.0.weight").
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>Whether the module trains (dropout active) or evaluates.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Applies the module.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Every parameter of this module and its children, with its dotted name, in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var all = new List<KeyValuePair<string, Tensor>>();
        Collect("", all);
        return all;
    }

    /// <summary>Every parameter, in registration order.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>This module and every module under it, depth first in registration order.</summary>
    public IEnumerable<Module> Modules()
    {
        yield return this;
        foreach (var (_, child) in _children)
            foreach (Module module in child.Modules()) yield return module;
    }

    /// <summary>Switches this module and its children to training mode.</summary>
    public void Train() => SetMode(true);

    /// <summary>Switches this module and its children to evaluation mode.</summary>
    public void Eval() => SetMode(false);

    /// <summary>
    /// Moves every parameter to <paramref name="device"/> in place (the tensors stay the same objects, their gradients
    /// are dropped), so the module then runs there. Make the optimizer after moving: its state lives beside the parameters.
    /// </summary>
    public void To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var (_, parameter) in NamedParameters()) parameter.MoveTo(device);
        SetMode(IsTraining);
    }

    /// <summary>Writes every parameter to <paramref name="path"/> as safetensors, atomically.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsFile.Save(path, NamedParameters(), metadata);

    /// <summary>Overwrites every parameter from a safetensors file holding exactly these names and shapes; returns the file's metadata.</summary>
    /// <exception cref="SafetensorsFormatException">The file is broken, or its tensors do not match the module's.</exception>
    public IReadOnlyDictionary<string, string> Load(string path)
    {
        using SafetensorsContents contents = SafetensorsFile.Load(path);
        IReadOnlyList<KeyValuePair<string, Tensor>> parameters = NamedParameters();
        var names = new HashSet<string>(parameters.Select(p => p.Key), StringComparer.Ordinal);
        foreach (var (name, _) in contents.Tensors)
            if (!names.Contains(name)) throw SafetensorsFile.Bad(path, $"it holds '{name}', which this model does not have");
        foreach (var (name, parameter) in parameters)
        {
            Tensor stored = contents.Tensors.FirstOrDefault(t => t.Key == name).Value
                ?? throw SafetensorsFile.Bad(path, $"it lacks the parameter '{name}'");
            if (stored.Shape != parameter.Shape)
                throw SafetensorsFile.Bad(path, $"'{name}' has shape {stored.Shape}; the model's is {parameter.Shape}");
        }
        foreach (var (name, parameter) in parameters) parameter.CopyFrom(contents[name].AsSpan());
        SetMode(IsTraining);
        return contents.Metadata;
    }

    /// <summary>Frees every parameter and its gradient.</summary>
    public void Dispose()
    {
        OnModeSet(training: true);
        foreach (var (_, parameter) in _parameters) parameter.Dispose();
        foreach (var (_, child) in _children) child.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers a parameter (it then requires a gradient); the module owns it.</summary>
    protected Tensor Parameter(string name, Tensor value)
    {
        value.RequiresGrad = true;
        _parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a child module; the module owns it.</summary>
    protected T Child<T>(string name, T module) where T : Module
    {
        _children.Add(new(name, module));
        return module;
    }

    private void Collect(string prefix, List<KeyValuePair<string, Tensor>> all)
    {
        foreach (var (name, parameter) in _parameters) all.Add(new(prefix + name, parameter));
        foreach (var (name, child) in _children) child.Collect(prefix + name + ".", all);
    }

    /// <summary>
    /// Called when the mode is set (and after <see cref="Load"/>): a layer may prepare its weights for evaluation
    /// here. Weights changed in evaluation mode take effect at the next <see cref="Eval"/> or <see cref="Load"/>.
    /// </summary>
    protected virtual void OnModeSet(bool training)
    {
    }

    private void SetMode(bool training)
    {
        IsTraining = training;
        OnModeSet(training);
        foreach (var (_, child) in _children) child.SetMode(training);
    }
}

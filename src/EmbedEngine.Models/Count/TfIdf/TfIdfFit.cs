using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>A fitted model and the weighted vectors of the documents it was fitted on (scikit-learn's fit_transform).</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="Documents">One row per fitted document, weighed by <paramref name="Model"/>.</param>
public sealed record TfIdfFit(TfIdfModel Model, CsrMatrix Documents);

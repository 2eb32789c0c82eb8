using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EmbedEngine.Cli.Serving;

/// <summary>A parsed <c>POST /v1/embeddings</c>: OpenAI's request shape.</summary>
internal sealed record EmbeddingsRequest(string Model, IReadOnlyList<string> Inputs, bool Base64, int? Dimensions);

/// <summary>A parsed <c>POST /v1/similar</c>: a word, or words to add and subtract, and how many neighbours.</summary>
internal sealed record SimilarRequest(string Model, IReadOnlyList<string> Positive, IReadOnlyList<string> Negative, int K);

/// <summary>Reads request bodies and checks every field's type and size, so each mistake gets its own 4xx message.</summary>
internal static class ApiRequests
{
    /// <summary>The body as JSON, within the size limit.</summary>
    /// <exception cref="ApiException">413 for a body over the limit, 400 for one that is not a JSON object.</exception>
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, ServeLimits limits)
    {
        if (request.ContentLength > limits.MaxBodyBytes)
            throw ApiException.TooLarge($"The body is {request.ContentLength:N0} bytes; the limit is {limits.MaxBodyBytes:N0}.");
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The body is not valid JSON: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiException.TooLarge($"The body is over the limit of {limits.MaxBodyBytes:N0} bytes.");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            JsonValueKind kind = document.RootElement.ValueKind;
            document.Dispose();
            throw ApiException.BadRequest($"The body must be a JSON object; it is {Describe(kind)}.");
        }
        return document;
    }

    /// <summary>OpenAI's embeddings request: "model", "input" (a string or an array of strings), "encoding_format", "dimensions".</summary>
    public static EmbeddingsRequest Embeddings(JsonElement body, ServeLimits limits)
    {
        string model = RequiredString(body, "model");
        if (!body.TryGetProperty("input", out JsonElement input)) throw ApiException.BadRequest("'input' is missing: give a string or an array of strings.", "input");
        List<string> inputs = input.ValueKind switch
        {
            JsonValueKind.String => [input.GetString()!],
            JsonValueKind.Array => Strings(input, "input", limits.MaxInputs),
            _ => throw ApiException.BadRequest($"'input' must be a string or an array of strings; it is {Describe(input.ValueKind)}.", "input"),
        };
        if (inputs.Count == 0) throw ApiException.BadRequest("'input' is an empty array; give at least one string.", "input");
        for (int i = 0; i < inputs.Count; i++)
            if (inputs[i].Length > limits.MaxInputChars)
                throw ApiException.TooLarge($"input[{i}] has {inputs[i].Length:N0} characters; the limit is {limits.MaxInputChars:N0}.", "input");
        string format = OptionalString(body, "encoding_format") ?? "float";
        if (format is not ("float" or "base64")) throw ApiException.BadRequest($"'encoding_format' is float or base64; got '{format}'.", "encoding_format");
        int? dimensions = null;
        if (body.TryGetProperty("dimensions", out JsonElement d))
            dimensions = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int n) ? n
                : throw ApiException.BadRequest($"'dimensions' must be an integer; it is {Describe(d.ValueKind)}.", "dimensions");
        return new EmbeddingsRequest(model, inputs, format == "base64", dimensions);
    }

    /// <summary>A nearest-words query: "model", then "word" or "positive"/"negative" arrays, and "k" (default 10).</summary>
    public static SimilarRequest Similar(JsonElement body, ServeLimits limits)
    {
        string model = RequiredString(body, "model");
        List<string> positive = body.TryGetProperty("positive", out JsonElement p) ? Strings(p, "positive", limits.MaxInputs) : [];
        List<string> negative = body.TryGetProperty("negative", out JsonElement n) ? Strings(n, "negative", limits.MaxInputs) : [];
        if (OptionalString(body, "word") is { } word) positive.Insert(0, word);
        if (positive.Count + negative.Count == 0) throw ApiException.BadRequest("Give 'word', or 'positive' and/or 'negative' word arrays.", "word");
        int k = 10;
        if (body.TryGetProperty("k", out JsonElement kElement))
        {
            if (kElement.ValueKind != JsonValueKind.Number || !kElement.TryGetInt32(out k) || k < 1)
                throw ApiException.BadRequest("'k' must be a positive integer.", "k");
            if (k > limits.MaxNeighbours) throw ApiException.TooLarge($"'k' is {k:N0}; the limit is {limits.MaxNeighbours:N0}.", "k");
        }
        return new SimilarRequest(model, positive, negative, k);
    }

    private static string RequiredString(JsonElement body, string name) =>
        OptionalString(body, name) ?? throw ApiException.BadRequest($"'{name}' is missing.", name);

    private static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString()!
            : throw ApiException.BadRequest($"'{name}' must be a string; it is {Describe(value.ValueKind)}.", name);
    }

    private static List<string> Strings(JsonElement array, string name, int limit)
    {
        if (array.ValueKind != JsonValueKind.Array) throw ApiException.BadRequest($"'{name}' must be an array of strings; it is {Describe(array.ValueKind)}.", name);
        int count = array.GetArrayLength();
        if (count > limit) throw ApiException.TooLarge($"'{name}' holds {count:N0} items; the limit is {limit:N0}.", name);
        var strings = new List<string>(count);
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest(item.ValueKind is JsonValueKind.Array or JsonValueKind.Number
                    ? $"{name}[{index}] is {Describe(item.ValueKind)}: token arrays are not supported; send text."
                    : $"{name}[{index}] must be a string; it is {Describe(item.ValueKind)}.", name);
            strings.Add(item.GetString()!);
            index++;
        }
        return strings;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}

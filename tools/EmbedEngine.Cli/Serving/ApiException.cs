namespace EmbedEngine.Cli.Serving;

/// <summary>A request the service refuses: the HTTP status, OpenAI's error type and a message that says what was wrong.</summary>
internal sealed class ApiException(int status, string message, string? parameter = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Parameter { get; } = parameter;

    public string? Code { get; } = code;

    /// <summary>OpenAI's error type for the status.</summary>
    public string Type => Status switch
    {
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        _ => "invalid_request_error",
    };

    public static ApiException BadRequest(string message, string? parameter = null) => new(400, message, parameter);

    public static ApiException TooLarge(string message, string? parameter = null) => new(413, message, parameter);
}

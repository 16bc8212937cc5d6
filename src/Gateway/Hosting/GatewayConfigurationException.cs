namespace Gateway.Hosting;

/// <summary>
/// The gateway's configuration cannot be used (an address beyond loopback, an identity mode that does not exist, a
/// store that cannot be opened). The message says what is wrong and what to change; <see cref="StartupFailure"/>
/// prints it as one line and ends the process with a failure code, without a stack trace.
/// </summary>
public sealed class GatewayConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

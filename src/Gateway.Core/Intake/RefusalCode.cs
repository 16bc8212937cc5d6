namespace Gateway.Core.Intake;

/// <summary>Why a call was refused; the host maps each to a gRPC status code.</summary>
public enum RefusalCode
{
    /// <summary>The message breaks a schema or business rule.</summary>
    InvalidArgument = 1,

    /// <summary>The caller may not send this: the sender is not the caller, or the route is not allowed.</summary>
    PermissionDenied = 2,

    /// <summary>A recipient is not in the directory and cannot be resolved from its country.</summary>
    NotFound = 3,

    /// <summary>The message id was already used for different content.</summary>
    AlreadyExists = 4,

    /// <summary>The caller did not say which agency it is.</summary>
    Unauthenticated = 5,

    /// <summary>The message refers to a state that does not allow it, e.g. a hold that is already released.</summary>
    FailedPrecondition = 6,

    /// <summary>The message is larger than the calling agency may send.</summary>
    ResourceExhausted = 7,
}

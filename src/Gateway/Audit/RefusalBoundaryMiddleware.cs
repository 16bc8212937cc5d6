namespace Gateway.Audit;

/// <summary>Runs each call, then hands it to the <see cref="RefusalBoundary"/>, which audits the refusal it ended with.</summary>
public sealed class RefusalBoundaryMiddleware(RequestDelegate next, RefusalBoundary boundary)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        await boundary.AuditCallAsync(context);
    }
}

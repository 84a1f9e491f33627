using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Deliberate.Server.Identity;

/// <summary>
/// Who is on the other end. Behind a reverse proxy the socket's address is the proxy's, so the proxy's
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are honoured — but only when the request comes from a proxy
/// named in <c>ForwardedHeaders:KnownProxies</c> (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR). With
/// neither configured the headers are ignored: anyone could write them. Sign-in limits, lockouts, HSTS and the
/// Secure cookie all use the result.
/// </summary>
public static class ClientAddress
{
    /// <summary>The client's address after forwarded headers, as text ("local" for an in-process or Unix-socket caller).</summary>
    public static string Of(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null) return "local";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return ip.ToString();
    }

    /// <summary>Reads the trusted proxies; true when there is at least one (then <see cref="UseDeliberateForwardedHeaders"/> applies).</summary>
    public static bool AddDeliberateForwardedHeaders(this IServiceCollection services, IConfiguration config)
    {
        var proxies = List(config.GetSection("ForwardedHeaders:KnownProxies")).Select(IPAddress.Parse).ToList();
        var networks = List(config.GetSection("ForwardedHeaders:KnownNetworks")).Select(System.Net.IPNetwork.Parse).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Nothing is trusted by default (ASP.NET Core would trust loopback): only what the operator names.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
            // Walk back through the chain while each hop is a known proxy; the first other address is the client.
            o.ForwardLimit = null;
            o.RequireHeaderSymmetry = false;
        });
        return proxies.Count + networks.Count > 0;
    }

    /// <summary>
    /// Only with configured proxies: ASP.NET Core's middleware with empty lists would believe every sender.
    /// </summary>
    public static IApplicationBuilder UseDeliberateForwardedHeaders(this IApplicationBuilder app, bool proxiesConfigured) =>
        proxiesConfigured ? app.UseForwardedHeaders() : app;

    /// <summary>A list from configuration, as an array (<c>KnownProxies:0</c>, …) or one comma-separated value (handy in an environment
    /// variable).</summary>
    static IEnumerable<string> List(IConfigurationSection section) =>
        (string.IsNullOrWhiteSpace(section.Value) ? section.GetChildren().Select(c => c.Value ?? "") : section.Value.Split(','))
            .Select(v => v.Trim()).Where(v => v.Length > 0);
}

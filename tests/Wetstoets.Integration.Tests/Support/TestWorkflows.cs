namespace Wetstoets.Integration.Tests.Support;

/// <summary>Workflows the tests and benchmarks install in a workspace's <c>workflows/</c>.</summary>
public static class TestWorkflows
{
    /// <summary>
    /// One round that closes at its deadline (a day after the invitations), is synthesised, rendered and
    /// published, and ends: no quorum, no decision. <paramref name="collect"/> adds settings to the collect step.
    /// </summary>
    public static string Direct(string id, string collect = "") => $$"""
        id: {{id}}
        version: 1
        questionnaire: uitvoeringstoets
        steps:
          - { id: routeren, type: route, next: uitnodigen }
          - { id: uitnodigen, type: invite, window: P1D, next: verzamelen }
          - { id: verzamelen, type: collect{{collect}}, next: samenvatten }
          - { id: samenvatten, type: synthesise, next: rapporteren }
          - { id: rapporteren, type: render, next: publiceren }
          - { id: publiceren, type: publish, next: einde }
          - { id: einde, type: end }
        """;
}

"""Drives a running Airbyte sandbox with the official Python SDK (airbyte-api) and fails when the
SDK cannot read an answer: the SDK parses every body into its typed (pydantic) models, so a missing
required field, a wrong type or an unknown enum value raises. Run by SdkConformanceTest; by hand:

    sdk/.venv/bin/python sdk/sdk_check.py CLIENT_ID CLIENT_SECRET CONNECTION_ID BASE_URL [BASE_URL...]

CONNECTION_ID must name an active connection with no job running whose syncs run for a while (the
check starts a sync, reads it, lists it and cancels it). Prints one line per operation; on the
first failure prints the operation and the SDK's error and exits with 1.
"""

import sys
import time

import airbyte_api
from airbyte_api import api, models


class CheckFailed(Exception):
    pass


def call(operation, fn, field):
    """Runs one SDK call; returns the typed model in `field` of its response."""
    started = time.monotonic()
    try:
        response = fn()
    except Exception as e:  # the SDK's ResponseValidationError, SDKError, or a transport error
        cause = getattr(e, "cause", None)
        detail = f"{type(e).__name__}: {e}"
        if cause is not None and str(cause) not in detail:
            detail += f"\ncaused by {type(cause).__name__}: {cause}"
        # A union's errors list every member (thousands of lines): the head says enough.
        lines = detail.splitlines()
        if len(lines) > 30:
            detail = "\n".join(lines[:30] + [f"... ({len(lines) - 30} more lines)"])
        raise CheckFailed(f"SDK FAILED on {operation}: {detail}") from e
    value = getattr(response, field, None) if field else response
    if field and value is None:
        raise CheckFailed(
            f"SDK FAILED on {operation}: HTTP {response.status_code}, no {field} in the response"
        )
    print(f"ok {operation} ({(time.monotonic() - started) * 1000:.0f} ms)")
    return value


def check(base, client_id, secret, connection_id):
    print(f"--- {base}")
    health = airbyte_api.AirbyteAPI(server_url=base)
    call("GET /health", lambda: health.health.get_health_check(), None)

    # The SDK's client-credentials hook fetches the token itself; its default token URL is
    # resolved against the host, so give it the full one.
    sdk = airbyte_api.AirbyteAPI(
        server_url=base,
        security=models.Security(
            client_credentials=models.SchemeClientCredentials(
                client_id=client_id,
                client_secret=secret,
                token_url=base + "/applications/token",
            )
        ),
    )
    workspaces = call(
        "GET /workspaces",
        lambda: sdk.workspaces.list_workspaces(request=api.ListWorkspacesRequest()),
        "workspaces_response",
    )
    workspace_id = workspaces.data[0].workspace_id
    call(
        "GET /workspaces/{workspaceId}",
        lambda: sdk.workspaces.get_workspace(
            request=api.GetWorkspaceRequest(workspace_id=workspace_id)
        ),
        "workspace_response",
    )
    listed = {}
    for resource, list_call, request in (
        ("connections", sdk.connections.list_connections, api.ListConnectionsRequest),
        ("sources", sdk.sources.list_sources, api.ListSourcesRequest),
        ("destinations", sdk.destinations.list_destinations, api.ListDestinationsRequest),
    ):
        listed[resource] = call(
            f"GET /{resource}",
            lambda: list_call(request=request(workspace_ids=[workspace_id], limit=100)),
            f"{resource}_response",
        )
    connection = call(
        "GET /connections/{connectionId}",
        lambda: sdk.connections.get_connection(
            request=api.GetConnectionRequest(connection_id=connection_id)
        ),
        "connection_response",
    )
    call(
        "GET /sources/{sourceId}",
        lambda: sdk.sources.get_source(
            request=api.GetSourceRequest(source_id=connection.source_id)
        ),
        "source_response",
    )
    call(
        "GET /destinations/{destinationId}",
        lambda: sdk.destinations.get_destination(
            request=api.GetDestinationRequest(destination_id=connection.destination_id)
        ),
        "destination_response",
    )
    names = {s.name for s in listed["sources"].data}
    if connection.name.split(" → ")[0] not in names:
        raise CheckFailed(f"the connection's source is not listed in GET /sources: {names}")
    job = call(
        "POST /jobs",
        lambda: sdk.jobs.create_job(
            request=models.JobCreateRequest(
                connection_id=connection_id, job_type=models.JobTypeEnum.SYNC
            )
        ),
        "job_response",
    )
    call(
        "GET /jobs/{jobId}",
        lambda: sdk.jobs.get_job(request=api.GetJobRequest(job_id=job.job_id)),
        "job_response",
    )
    call(
        "GET /jobs",
        lambda: sdk.jobs.list_jobs(
            request=api.ListJobsRequest(
                connection_id=connection_id,
                job_type=models.JobTypeEnum.SYNC,
                order_by="createdAt|DESC",
                limit=5,
            )
        ),
        "jobs_response",
    )
    call(
        "DELETE /jobs/{jobId}",
        lambda: sdk.jobs.cancel_job(request=api.CancelJobRequest(job_id=job.job_id)),
        "job_response",
    )


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    client_id, secret, connection_id = argv[1:4]
    try:
        for base in argv[4:]:
            check(base, client_id, secret, connection_id)
    except CheckFailed as e:
        print(e, file=sys.stderr)
        return 1
    print(f"airbyte-api {airbyte_api.__version__}: every answer parsed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

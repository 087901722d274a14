"""Every kind of background job, in one table: the work it runs and what queuing it needed."""

from resolvers import (
    audit_reports,
    bulk_entries,
    centre_upload,
    certificates,
    credential_documents,
    staff_progress,
    staff_upload,
)
from resolvers.jobs import JobKind

JOB_KINDS: dict[str, JobKind] = {
    audit_reports.KIND: JobKind(audit_reports.write_export, requires=("audit", "read")),
    bulk_entries.KIND: JobKind(bulk_entries.run_candidates_job, requires=("entries", "manage")),
    centre_upload.KIND: JobKind(centre_upload.run_upload_job, requires=("centres", "upload")),
    certificates.KIND: JobKind(certificates.zip_certificates, requires=("staff_progress", "read")),
    credential_documents.KIND: JobKind(
        credential_documents.render_documents, requires=("results_credentials", "download")
    ),
    staff_progress.KIND: JobKind(
        staff_progress.export_summary, requires=("staff_progress", "read")
    ),
    staff_upload.KIND: JobKind(staff_upload.run_upload_job, requires=("user_accounts", "create")),
}

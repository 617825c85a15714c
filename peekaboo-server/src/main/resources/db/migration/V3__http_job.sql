-- One row per upload to the REST API (POST /v1/scan). Its generated id is the job id the client
-- polls for, so any instance on the same database can answer it; the accepting instance fills
-- in the outcome once the engine is done. The same portable subset as V1.
CREATE TABLE http_job (
    job_id      BIGINT        NOT NULL AUTO_INCREMENT,
    state       VARCHAR(16)   NOT NULL,
    result      VARCHAR(16)   NULL,
    reason      VARCHAR(4000) NULL,
    -- JSON array of {rule, result, reason, further_analysis}, as analysis.report.
    report      MEDIUMTEXT    NULL,
    instance_id VARCHAR(64)   NOT NULL,
    -- UTC, written by the application, DATETIME for the reasons V1 gives.
    created_at  DATETIME(3)   NOT NULL,
    finished_at DATETIME(3)   NULL,
    CONSTRAINT pk_http_job PRIMARY KEY (job_id),
    CONSTRAINT ck_http_job_state CHECK (
        (state = 'RUNNING' AND finished_at IS NULL AND result IS NULL)
        OR (state = 'FINISHED' AND finished_at IS NOT NULL AND result IS NOT NULL))
);

-- For retention: finding old jobs without a full scan.
CREATE INDEX ix_http_job_created_at ON http_job (created_at);

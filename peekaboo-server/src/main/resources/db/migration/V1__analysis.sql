-- One row per analysis of one sample: the job journal and the result cache.
-- A portable subset of SQL that runs unchanged on MariaDB and on H2 in MariaDB mode
-- (the embedded database is opened with MODE=MariaDB;DATABASE_TO_LOWER=TRUE).
CREATE TABLE analysis (
    job_id              BIGINT        NOT NULL AUTO_INCREMENT,
    identity            CHAR(64)      NOT NULL,
    sha256              CHAR(64)      NOT NULL,
    file_size           BIGINT        NOT NULL,
    name_declared       VARCHAR(1024) NULL,
    type_declared       VARCHAR(255)  NULL,
    content_disposition VARCHAR(255)  NULL,
    state               VARCHAR(16)   NOT NULL,
    result              VARCHAR(16)   NOT NULL,
    -- The result's badness (unchecked 1 ... bad 6, as PeekabooAV numbers them) next to its
    -- label, so that the known lookup finds the worst result by walking an index instead of
    -- sorting every analysis of a frequently seen attachment through a CASE expression.
    severity            SMALLINT      NOT NULL,
    reason              VARCHAR(4000) NULL,
    -- JSON array of {rule, result, reason, further_analysis}; TEXT would cap it at 64 KiB on MariaDB.
    report              MEDIUMTEXT    NULL,
    instance_id         VARCHAR(64)   NOT NULL,
    -- UTC, written by the application. DATETIME rather than TIMESTAMP because MariaDB converts
    -- TIMESTAMP values through the session time zone (shifting times that fall into a DST gap)
    -- and cannot hold dates after January 2038.
    created_at          DATETIME(3)   NOT NULL,
    finished_at         DATETIME(3)   NULL,
    CONSTRAINT pk_analysis PRIMARY KEY (job_id),
    CONSTRAINT ck_analysis_state CHECK (
        (state = 'RUNNING' AND finished_at IS NULL) OR (state = 'FINISHED' AND finished_at IS NOT NULL)),
    -- Keeps label and severity from ever disagreeing, whoever writes the row.
    CONSTRAINT ck_analysis_result CHECK (
        (result = 'unchecked' AND severity = 1) OR (result = 'unknown' AND severity = 2)
        OR (result = 'ignored' AND severity = 3) OR (result = 'good' AND severity = 4)
        OR (result = 'failed' AND severity = 5) OR (result = 'bad' AND severity = 6))
);

-- The known lookup: equality columns first, then the sort order (worst, then most recent).
CREATE INDEX ix_analysis_known ON analysis (identity, state, severity, finished_at, job_id);
-- For retention: finding old analyses without a full scan.
CREATE INDEX ix_analysis_created_at ON analysis (created_at);

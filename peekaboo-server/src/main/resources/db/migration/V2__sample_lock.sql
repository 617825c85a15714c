-- One row per sample identity that some instance is analysing right now: the cluster-wide
-- guard against analysing one attachment twice. The primary key makes taking a lock one
-- atomic INSERT; a lease that its owner stops renewing can be taken over by one UPDATE that
-- only matches while the lease is expired. The same portable subset as V1.
CREATE TABLE sample_lock (
    identity    CHAR(64)    NOT NULL,
    -- The generated id of the holding process (see InstanceId), never configured by hand.
    owner       VARCHAR(64) NOT NULL,
    -- UTC, written by the application like analysis.created_at, and DATETIME for the same reasons.
    taken_at    DATETIME(3) NOT NULL,
    lease_until DATETIME(3) NOT NULL,
    CONSTRAINT pk_sample_lock PRIMARY KEY (identity)
);

-- Releasing every lock of an instance at shutdown.
CREATE INDEX ix_sample_lock_owner ON sample_lock (owner);
-- Finding expired leases without a full scan.
CREATE INDEX ix_sample_lock_lease_until ON sample_lock (lease_until);

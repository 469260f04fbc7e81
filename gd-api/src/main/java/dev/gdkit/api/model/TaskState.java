package dev.gdkit.api.model;

/** The state of a long-running task (rebalance, remove-brick migration, heal). */
public enum TaskState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, STOPPED
}

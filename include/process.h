/*
 * process.h - process-wide safety settings made once at start-up, before a
 * command reads the API token (spec: "Output safety"): no core dump (the
 * token is in memory: RLIMIT_CORE 0 and PR_SET_DUMPABLE 0, which also keeps
 * other processes of the same user from reading our memory through ptrace or
 * /proc/PID/mem), and SIGPIPE ignored (an output pipe closed early is a write
 * error handled like a full disk, never a silent death).
 */
#ifndef S3SRC_PROCESS_H
#define S3SRC_PROCESS_H

/* Applies the settings above. Never fails: a setting the system refuses is
 * skipped silently (the token is still never printed). */
void process_harden(void);

#endif

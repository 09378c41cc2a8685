/* sched.c - placeholder until the engine area lands */

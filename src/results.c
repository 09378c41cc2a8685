/* results.c - placeholder until the writers area lands */

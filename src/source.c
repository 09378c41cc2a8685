/* source.c - placeholder until the source area lands */

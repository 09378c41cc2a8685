/* input.c - placeholder until the reader area lands */

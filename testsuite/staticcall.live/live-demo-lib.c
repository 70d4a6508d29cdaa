/* live-demo.c's far targets, in a shared library.  */
int live_far_target (int x) { return x + 3; }
int live_far_other (int x) { return x + 4; }

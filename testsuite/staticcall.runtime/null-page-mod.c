/* null-page.c's far target: a module is mapped far from a non-PIE
   executable.  */
int null_page_far (int x) { return x + 1000; }

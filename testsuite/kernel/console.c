/* console.c: COM1, a small printf, and the result through QEMU's
   isa-debug-exit device.  */

#include "kernel.h"

#define COM1 0x3f8

void kern_serial_init (void)
{
  outb (COM1 + 1, 0x00);	/* no interrupts */
  outb (COM1 + 3, 0x80);	/* divisor latch */
  outb (COM1 + 0, 0x01);	/* 115200 baud */
  outb (COM1 + 1, 0x00);
  outb (COM1 + 3, 0x03);	/* 8N1 */
  outb (COM1 + 2, 0xc7);	/* FIFOs on and cleared */
  outb (COM1 + 4, 0x03);	/* DTR, RTS */
}

static void serial_putc (char ch)
{
  uint64_t deadline = kern_deadline_us (10000);

  /* A missing or stuck UART must not hang the kernel: QEMU's is ready
     at once.  */
  while (!(inb (COM1 + 5) & 0x20) && !kern_past (deadline))
    cpu_relax ();
  outb (COM1, ch);
}

static void put_str (const char *s)
{
  for (; *s; s++)
    {
      if (*s == '\n')
	serial_putc ('\r');
      serial_putc (*s);
    }
}

static void put_num (uint64_t v, unsigned base, int neg, int width, char pad)
{
  char buf[24];
  int n = 0;

  do
    {
      buf[n++] = "0123456789abcdef"[v % base];
      v /= base;
    }
  while (v);
  if (neg)
    buf[n++] = '-';
  while (n < width--)
    serial_putc (pad);
  while (n)
    serial_putc (buf[--n]);
}

/* Lines from several CPUs do not mix.  A CPU that waits too long (one
   that panicked while holding it, say) prints anyway.  */
static volatile int print_lock;

void kern_vprintf (const char *fmt, va_list ap)
{
  uint64_t deadline = kern_deadline_us (200000);
  int locked;

  while (!(locked = !__atomic_exchange_n (&print_lock, 1, __ATOMIC_ACQUIRE))
	 && !kern_past (deadline))
    cpu_relax ();
  for (; *fmt; fmt++)
    {
      int longs = 0, width = 0;
      char pad = ' ';

      if (*fmt != '%')
	{
	  char s[2] = { *fmt, 0 };
	  put_str (s);
	  continue;
	}
      fmt++;
      if (*fmt == '0')
	pad = '0', fmt++;
      while (*fmt >= '0' && *fmt <= '9')
	width = width * 10 + *fmt++ - '0';
      while (*fmt == 'l' || *fmt == 'z')
	longs++, fmt++;
      switch (*fmt)
	{
	case 'd':
	  {
	    int64_t v = longs ? va_arg (ap, long) : va_arg (ap, int);
	    put_num (v < 0 ? -(uint64_t) v : (uint64_t) v, 10, v < 0, width, pad);
	    break;
	  }
	case 'u':
	case 'x':
	  {
	    uint64_t v = longs ? va_arg (ap, unsigned long)
	      : va_arg (ap, unsigned);
	    put_num (v, *fmt == 'u' ? 10 : 16, 0, width, pad);
	    break;
	  }
	case 'p':
	  put_str ("0x");
	  put_num ((uint64_t) va_arg (ap, void *), 16, 0, width, pad);
	  break;
	case 's':
	  put_str (va_arg (ap, const char *));
	  break;
	case '%':
	  put_str ("%");
	  break;
	default:
	  put_str ("<bad format>");
	  break;
	}
    }
  if (locked)
    __atomic_store_n (&print_lock, 0, __ATOMIC_RELEASE);
}

void kern_printf (const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  kern_vprintf (fmt, ap);
  va_end (ap);
}

void kern_exit (int code)
{
  irq_disable ();
  outl (0xf4, code);
  /* Without the device (run by hand), stop here.  */
  for (;;)
    __asm__ volatile ("hlt");
}

void kern_panic (const char *fmt, ...)
{
  va_list ap;

  irq_disable ();
  kern_printf ("kernel: FAIL: ");
  va_start (ap, fmt);
  kern_vprintf (fmt, ap);
  va_end (ap);
  kern_printf ("\n");
  kern_exit (KERN_EXIT_FAIL);
}

/* GCC may call these even in a freestanding program.  */
void *memset (void *s, int c, size_t n)
{
  unsigned char *p = s;

  while (n--)
    *p++ = c;
  return s;
}

void *memcpy (void *d, const void *s, size_t n)
{
  unsigned char *p = d;
  const unsigned char *q = s;

  while (n--)
    *p++ = *q++;
  return d;
}

void *memmove (void *d, const void *s, size_t n)
{
  unsigned char *p = d;
  const unsigned char *q = s;

  if (p < q)
    while (n--)
      *p++ = *q++;
  else
    while (n--)
      p[n] = q[n];
  return d;
}

int memcmp (const void *a, const void *b, size_t n)
{
  const unsigned char *p = a, *q = b;

  for (; n; n--, p++, q++)
    if (*p != *q)
      return *p < *q ? -1 : 1;
  return 0;
}

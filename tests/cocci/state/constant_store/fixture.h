/* Declarations the cocci test inputs use (shapes of the kernel's state machines). */
#include <stdint.h>
typedef uint64_t paddr_t;
enum frame_state { FRAME_FREE, FRAME_ALLOCATED, FRAME_MAPPED, FRAME_UNHOOKED, FRAME_FLUSHED };
enum vpage_state { VPAGE_RESERVED, VPAGE_COMMITTED, VPAGE_PROT_NONE };
/* The state is the first byte of struct frame (packed). */
struct frame { uint8_t state; uint8_t flags; unsigned pins; };
struct info { uint8_t kind; uint8_t last; };
#define PG_STATE_MASK 0x03u
#define PG_ZERO 0x80u
#define MAX_PINS 16
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to);
void vpage_transition(uint8_t *pg, enum vpage_state from, enum vpage_state to);
struct frame *frame_of(paddr_t pa);

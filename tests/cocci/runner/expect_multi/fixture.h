/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stdint.h>
enum frame_state { FRAME_FREE, FRAME_ALLOCATED, FRAME_MAPPED, FRAME_UNHOOKED, FRAME_FLUSHED };
enum vpage_state { VPAGE_RESERVED, VPAGE_COMMITTED, VPAGE_PROT_NONE };
struct frame { enum frame_state state; unsigned pins; };
struct vpage { enum vpage_state vp_state; unsigned prot; };
struct vres { int state; struct vpage pages[4]; };
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to);
void vpage_transition(struct vpage *p, enum vpage_state from, enum vpage_state to);
#define PG_STATE_MASK 0x03u
#define PG_ZERO 0x80u
void vbyte_transition(uint8_t *pg, enum vpage_state from, enum vpage_state to);
struct pagebyte { uint8_t state; uint8_t flags; };
struct vobj { enum vpage_state page_states[8]; int npages; };
extern enum vpage_state states[16];
void set_byte(uint8_t *b, uint8_t v);

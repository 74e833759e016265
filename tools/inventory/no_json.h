/**
 * @file
 * @brief Forced (`-include`) into every inventory source whose name does not end in `_io.c`, so
 *        JSON stays at the tool's read/write edges: such a file that includes jansson (directly
 *        or through a header) or names `json_t` does not compile. Headers shared with the edges
 *        (model_io.h, jschema_io.h) show such files their typed API only (INV_NO_JSON). The
 *        CTest `inventory_json_edge` checks the guard is live. See tools/inventory/CMakeLists.txt.
 */
#ifndef INV_NO_JSON_H
#define INV_NO_JSON_H
#define INV_NO_JSON 1
#pragma GCC poison json_t
#endif

# embed.cmake: -DIN=file -DOUT=file.c -DNAME=symbol: the bytes of IN as a NUL-terminated C array,
# so the tool carries its config schema and never looks for it at run time.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE "${OUT}" "/* Generated from ${IN} by embed.cmake. */\nconst char ${NAME}[] = {${hex} 0};\n")

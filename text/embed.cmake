# Turn a text file into a C array (cmake -DIN=file -DOUT=file.c -DSYM=name -P embed.cmake).
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," arr "${hex}")
file(WRITE "${OUT}" "/* generated from ${IN} by text/embed.cmake: do not edit */\n#include <stddef.h>\nextern const unsigned char ${SYM}_tsv[];\nextern const size_t ${SYM}_len;\nconst unsigned char ${SYM}_tsv[] = {${arr} 0};\nconst size_t ${SYM}_len = sizeof ${SYM}_tsv - 1;\n")

/**
 * @file
 * @brief libclang, loaded on first use: a re-scan that the cache answers whole never pays for
 *        loading libclang and LLVM (most of its run time otherwise).
 *
 * Include this instead of <clang-c/Index.h>. Every libclang function the tool calls is listed
 * below and reached through a pointer that clang_api_load() fills with dlsym().
 */
#ifndef INV_CLANG_API_H
#define INV_CLANG_API_H

#include <clang-c/Index.h>
#include <stdbool.h>

/* Every libclang function the tool uses. */
#define INV_CLANG_FUNCS(X) \
	X(clang_Cursor_getArgument) \
	X(clang_Cursor_getNumArguments) \
	X(clang_Cursor_getRawCommentText) \
	X(clang_Cursor_getStorageClass) \
	X(clang_Cursor_isNull) \
	X(clang_File_isEqual) \
	X(clang_createIndex) \
	X(clang_equalCursors) \
	X(clang_equalTypes) \
	X(clang_disposeDiagnostic) \
	X(clang_disposeIndex) \
	X(clang_disposeString) \
	X(clang_disposeTokens) \
	X(clang_disposeTranslationUnit) \
	X(clang_formatDiagnostic) \
	X(clang_getArrayElementType) \
	X(clang_getCString) \
	X(clang_getCanonicalCursor) \
	X(clang_getCanonicalType) \
	X(clang_getCursorExtent) \
	X(clang_getCursorKind) \
	X(clang_getCursorLocation) \
	X(clang_getCursorReferenced) \
	X(clang_getCursorSemanticParent) \
	X(clang_getCursorSpelling) \
	X(clang_getCursorType) \
	X(clang_getCursorUSR) \
	X(clang_getDiagnostic) \
	X(clang_getDiagnosticSeverity) \
	X(clang_getExpansionLocation) \
	X(clang_getFileContents) \
	X(clang_getFileLocation) \
	X(clang_getFileName) \
	X(clang_getInclusions) \
	X(clang_getLocationForOffset) \
	X(clang_getNullCursor) \
	X(clang_getNullRange) \
	X(clang_getNumDiagnostics) \
	X(clang_getPointeeType) \
	X(clang_getRange) \
	X(clang_getRangeEnd) \
	X(clang_getRangeStart) \
	X(clang_getSpellingLocation) \
	X(clang_getTokenKind) \
	X(clang_getTokenLocation) \
	X(clang_getTokenSpelling) \
	X(clang_getTranslationUnitCursor) \
	X(clang_getTypeDeclaration) \
	X(clang_getTypeSpelling) \
	X(clang_isCursorDefinition) \
	X(clang_parseTranslationUnit2) \
	X(clang_tokenize) \
	X(clang_Type_visitFields) \
	X(clang_visitChildren) \

#define INV_CLANG_DECLARE(f) extern __typeof__(f) *inv_p_##f;
INV_CLANG_FUNCS(INV_CLANG_DECLARE)
#undef INV_CLANG_DECLARE

/**
 * @brief Load libclang and resolve every function (once; thread-safe).
 * @return true, or false after printing why (library or symbol missing).
 */
bool clang_api_load(void);

#ifndef INV_CLANG_API_IMPL
#define clang_Cursor_getArgument (*inv_p_clang_Cursor_getArgument)
#define clang_Cursor_getNumArguments (*inv_p_clang_Cursor_getNumArguments)
#define clang_Cursor_getRawCommentText (*inv_p_clang_Cursor_getRawCommentText)
#define clang_Cursor_getStorageClass (*inv_p_clang_Cursor_getStorageClass)
#define clang_Cursor_isNull (*inv_p_clang_Cursor_isNull)
#define clang_File_isEqual (*inv_p_clang_File_isEqual)
#define clang_createIndex (*inv_p_clang_createIndex)
#define clang_equalCursors (*inv_p_clang_equalCursors)
#define clang_equalTypes (*inv_p_clang_equalTypes)
#define clang_disposeDiagnostic (*inv_p_clang_disposeDiagnostic)
#define clang_disposeIndex (*inv_p_clang_disposeIndex)
#define clang_disposeString (*inv_p_clang_disposeString)
#define clang_disposeTokens (*inv_p_clang_disposeTokens)
#define clang_disposeTranslationUnit (*inv_p_clang_disposeTranslationUnit)
#define clang_formatDiagnostic (*inv_p_clang_formatDiagnostic)
#define clang_getArrayElementType (*inv_p_clang_getArrayElementType)
#define clang_getCString (*inv_p_clang_getCString)
#define clang_getCanonicalCursor (*inv_p_clang_getCanonicalCursor)
#define clang_getCanonicalType (*inv_p_clang_getCanonicalType)
#define clang_getCursorExtent (*inv_p_clang_getCursorExtent)
#define clang_getCursorKind (*inv_p_clang_getCursorKind)
#define clang_getCursorLocation (*inv_p_clang_getCursorLocation)
#define clang_getCursorReferenced (*inv_p_clang_getCursorReferenced)
#define clang_getCursorSemanticParent (*inv_p_clang_getCursorSemanticParent)
#define clang_getCursorSpelling (*inv_p_clang_getCursorSpelling)
#define clang_getCursorType (*inv_p_clang_getCursorType)
#define clang_getCursorUSR (*inv_p_clang_getCursorUSR)
#define clang_getDiagnostic (*inv_p_clang_getDiagnostic)
#define clang_getDiagnosticSeverity (*inv_p_clang_getDiagnosticSeverity)
#define clang_getExpansionLocation (*inv_p_clang_getExpansionLocation)
#define clang_getFileContents (*inv_p_clang_getFileContents)
#define clang_getFileLocation (*inv_p_clang_getFileLocation)
#define clang_getFileName (*inv_p_clang_getFileName)
#define clang_getInclusions (*inv_p_clang_getInclusions)
#define clang_getLocationForOffset (*inv_p_clang_getLocationForOffset)
#define clang_getNullCursor (*inv_p_clang_getNullCursor)
#define clang_getNullRange (*inv_p_clang_getNullRange)
#define clang_getNumDiagnostics (*inv_p_clang_getNumDiagnostics)
#define clang_getPointeeType (*inv_p_clang_getPointeeType)
#define clang_getRange (*inv_p_clang_getRange)
#define clang_getRangeEnd (*inv_p_clang_getRangeEnd)
#define clang_getRangeStart (*inv_p_clang_getRangeStart)
#define clang_getSpellingLocation (*inv_p_clang_getSpellingLocation)
#define clang_getTokenKind (*inv_p_clang_getTokenKind)
#define clang_getTokenLocation (*inv_p_clang_getTokenLocation)
#define clang_getTokenSpelling (*inv_p_clang_getTokenSpelling)
#define clang_getTranslationUnitCursor (*inv_p_clang_getTranslationUnitCursor)
#define clang_getTypeDeclaration (*inv_p_clang_getTypeDeclaration)
#define clang_getTypeSpelling (*inv_p_clang_getTypeSpelling)
#define clang_isCursorDefinition (*inv_p_clang_isCursorDefinition)
#define clang_parseTranslationUnit2 (*inv_p_clang_parseTranslationUnit2)
#define clang_tokenize (*inv_p_clang_tokenize)
#define clang_Type_visitFields (*inv_p_clang_Type_visitFields)
#define clang_visitChildren (*inv_p_clang_visitChildren)
#endif

#endif

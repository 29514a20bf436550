/*
 * HMAC-SHA256 tokens for a whole column at once, on x86-64 processors with the SHA
 * extensions (Intel since Ice Lake and Goldmont, AMD since Zen).
 *
 * What polars-hash does per value costs four SHA-256 compressions and a String built
 * in Rust: the padded key's two blocks are hashed again for every value. Here they are
 * hashed once per column; a value of at most 55 bytes then costs two compressions,
 * and two values are hashed side by side, which the processor runs in the time of
 * little more than one. The token (a prefix and the digest's first hex characters) is
 * written straight into one buffer, beside its Arrow offsets.
 *
 * The module is optional: where it cannot be compiled, or where the processor has no
 * SHA extensions (sha_extensions() is false), transforms/keyed_hash.py uses
 * polars-hash, which gives the same tokens. Tests compare the three backends.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI 1
#include <immintrin.h>
#else
#define HAVE_SHA_NI 0
#endif

#define BLOCK 64
#define DIGEST 32
/* A message of at most this many bytes fits one block with its padding. */
#define ONE_BLOCK 55

#if HAVE_SHA_NI

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* The state as the SHA instructions hold it: (A, B, E, F) and (C, D, G, H). */
typedef struct {
    __m128i abef, cdgh;
} lanes;

SHA_TARGET static inline lanes load_state(const uint32_t state[8]) {
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
    lanes s = {_mm_alignr_epi8(dcba, efgh, 8), _mm_blend_epi16(efgh, dcba, 0xF0)};
    return s;
}

SHA_TARGET static inline void store_state(lanes s, uint32_t state[8]) {
    __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

/* The message schedule of round group j (j >= 4): four more words from the last 16. */
#define SCHEDULE(w, j)                                                                     \
    w[j] = _mm_sha256msg2_epu32(                                                           \
        _mm_add_epi32(_mm_sha256msg1_epu32(w[j - 4], w[j - 3]),                            \
                      _mm_alignr_epi8(w[j - 1], w[j - 2], 4)),                             \
        w[j - 1])

/* Four rounds on state s with message words m (the schedule's words plus K's). */
#define ROUNDS(s, m)                                                                       \
    do {                                                                                   \
        s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, m);                                 \
        s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(m, 0x0E));        \
    } while (0)

SHA_TARGET static inline __m128i load_words(const uint8_t *block, int j) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * j)), swap);
}

SHA_TARGET static inline lanes added(lanes s, lanes saved) {
    lanes sum = {_mm_add_epi32(s.abef, saved.abef), _mm_add_epi32(s.cdgh, saved.cdgh)};
    return sum;
}

SHA_TARGET static void compress1(uint32_t state[8], const uint8_t *block) {
    lanes s = load_state(state), saved = s;
    __m128i w[16];
    for (int j = 0; j < 16; j++) {
        if (j < 4)
            w[j] = load_words(block, j);
        else
            SCHEDULE(w, j);
        ROUNDS(s, _mm_add_epi32(w[j], _mm_loadu_si128((const __m128i *)&K[4 * j])));
    }
    store_state(added(s, saved), state);
}

/* One block into each of two states, interleaved: the rounds of one run while those
 * of the other wait on their latency. */
SHA_TARGET static void compress2(uint32_t a[8], const uint8_t *block_a, uint32_t b[8],
                                 const uint8_t *block_b) {
    lanes sa = load_state(a), saved_a = sa, sb = load_state(b), saved_b = sb;
    __m128i wa[16], wb[16];
    for (int j = 0; j < 16; j++) {
        if (j < 4) {
            wa[j] = load_words(block_a, j);
            wb[j] = load_words(block_b, j);
        } else {
            SCHEDULE(wa, j);
            SCHEDULE(wb, j);
        }
        __m128i k = _mm_loadu_si128((const __m128i *)&K[4 * j]);
        ROUNDS(sa, _mm_add_epi32(wa[j], k));
        ROUNDS(sb, _mm_add_epi32(wb[j], k));
    }
    store_state(added(sa, saved_a), a);
    store_state(added(sb, saved_b), b);
}

/* The last block(s) of a message: its tail, 0x80, zeros and the bit length of all that
 * was hashed (`before` bytes already in the state). Returns 1 or 2 blocks. */
static int final_blocks(uint8_t out[2 * BLOCK], const uint8_t *tail, size_t len,
                        uint64_t before) {
    size_t blocks = len <= ONE_BLOCK ? 1 : 2;
    size_t size = blocks * BLOCK;
    if (len)
        memcpy(out, tail, len);
    out[len] = 0x80;
    memset(out + len + 1, 0, size - len - 1 - 8);
    uint64_t bits = (before + len) * 8;
    for (int k = 0; k < 8; k++)
        out[size - 1 - k] = (uint8_t)(bits >> (8 * k));
    return (int)blocks;
}

static void digest_of(const uint32_t state[8], uint8_t out[DIGEST]) {
    for (int k = 0; k < 8; k++) {
        out[4 * k] = (uint8_t)(state[k] >> 24);
        out[4 * k + 1] = (uint8_t)(state[k] >> 16);
        out[4 * k + 2] = (uint8_t)(state[k] >> 8);
        out[4 * k + 3] = (uint8_t)state[k];
    }
}

/* The inner hash of a message of any length, from the keyed inner state. */
SHA_TARGET static void inner_digest(const uint32_t inner[8], const uint8_t *msg, size_t len,
                                    uint8_t out[DIGEST]) {
    uint32_t state[8];
    uint8_t tail[2 * BLOCK];
    memcpy(state, inner, sizeof state);
    size_t whole = len / BLOCK * BLOCK;
    for (size_t i = 0; i < whole; i += BLOCK)
        compress1(state, msg + i);
    int blocks = final_blocks(tail, msg + whole, len - whole, BLOCK + whole);
    for (int b = 0; b < blocks; b++)
        compress1(state, tail + b * BLOCK);
    digest_of(state, out);
}

static const char HEX[] = "0123456789abcdef";

static void write_token(uint8_t *out, const uint8_t *prefix, size_t prefix_len,
                        const uint8_t digest[DIGEST], size_t hex_chars) {
    memcpy(out, prefix, prefix_len);
    out += prefix_len;
    for (size_t h = 0; h < hex_chars; h++)
        out[h] = (uint8_t)HEX[(digest[h >> 1] >> ((h & 1) ? 0 : 4)) & 15];
}

typedef struct {
    uint32_t inner[8], outer[8];
    const uint8_t *prefix;
    size_t prefix_len, hex_chars;
} keyed;

/* Outer hashes of two inner digests side by side, and their tokens. */
SHA_TARGET static void finish_pair(const keyed *key, uint8_t digests[2][DIGEST],
                                   uint8_t *out_a, uint8_t *out_b) {
    uint32_t a[8], b[8];
    uint8_t block_a[2 * BLOCK], block_b[2 * BLOCK];
    memcpy(a, key->outer, sizeof a);
    memcpy(b, key->outer, sizeof b);
    final_blocks(block_a, digests[0], DIGEST, BLOCK);
    final_blocks(block_b, digests[1], DIGEST, BLOCK);
    compress2(a, block_a, b, block_b);
    digest_of(a, digests[0]);
    digest_of(b, digests[1]);
    write_token(out_a, key->prefix, key->prefix_len, digests[0], key->hex_chars);
    write_token(out_b, key->prefix, key->prefix_len, digests[1], key->hex_chars);
}

SHA_TARGET static void finish_one(const keyed *key, uint8_t digest[DIGEST], uint8_t *out) {
    uint32_t state[8];
    uint8_t block[2 * BLOCK];
    memcpy(state, key->outer, sizeof state);
    final_blocks(block, digest, DIGEST, BLOCK);
    compress1(state, block);
    digest_of(state, digest);
    write_token(out, key->prefix, key->prefix_len, digest, key->hex_chars);
}

/* Tokens of values [first, last) of an Arrow large_string column (int64 offsets).
 * A blank value gets an empty token when blank_empty is set; the token of "" else. */
SHA_TARGET static void tokens(const keyed *key, const uint8_t *data, const int64_t *offsets,
                              Py_ssize_t count, int blank_empty, uint8_t *out,
                              int64_t *out_offsets) {
    size_t token_len = key->prefix_len + key->hex_chars;
    uint8_t digests[2][DIGEST];
    uint8_t blocks[2][2 * BLOCK];
    uint32_t states[2][8];
    uint8_t *waiting = NULL; /* a short value's token slot, its block in blocks[0] */
    int64_t at = 0;
    out_offsets[0] = 0;
    for (Py_ssize_t r = 0; r < count; r++) {
        size_t len = (size_t)(offsets[r + 1] - offsets[r]);
        const uint8_t *value = data + offsets[r];
        uint8_t *slot = out + at;
        if (len == 0 && blank_empty) {
            out_offsets[r + 1] = at;
            continue;
        }
        at += (int64_t)token_len;
        out_offsets[r + 1] = at;
        if (len > ONE_BLOCK) {
            inner_digest(key->inner, value, len, digests[1]);
            finish_one(key, digests[1], slot);
            continue;
        }
        int pair = waiting != NULL;
        final_blocks(blocks[pair], value, len, BLOCK);
        memcpy(states[pair], key->inner, sizeof states[pair]);
        if (!pair) {
            waiting = slot;
            continue;
        }
        compress2(states[0], blocks[0], states[1], blocks[1]);
        digest_of(states[0], digests[0]);
        digest_of(states[1], digests[1]);
        finish_pair(key, digests, waiting, slot);
        waiting = NULL;
    }
    if (waiting != NULL) {
        compress1(states[0], blocks[0]);
        digest_of(states[0], digests[0]);
        finish_one(key, digests[0], waiting);
    }
}

SHA_TARGET static void keyed_states(keyed *key, const uint8_t *secret, size_t len) {
    uint8_t block[BLOCK];
    for (int pass = 0; pass < 2; pass++) {
        uint8_t pad = pass ? 0x5c : 0x36;
        uint32_t *state = pass ? key->outer : key->inner;
        for (size_t i = 0; i < BLOCK; i++)
            block[i] = (uint8_t)((i < len ? secret[i] : 0) ^ pad);
        memcpy(state, IV, sizeof IV);
        compress1(state, block);
    }
}

static int sha_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") &&
           __builtin_cpu_supports("ssse3");
}

#else
static int sha_supported(void) { return 0; }
#endif

static PyObject *sha_extensions(PyObject *self, PyObject *unused) {
    return PyBool_FromLong(sha_supported());
}

static int check_buffer(Py_buffer *buffer, Py_ssize_t at_least, const char *name) {
    if (buffer->len < at_least) {
        PyErr_Format(PyExc_ValueError, "%s holds %zd bytes, fewer than the %zd needed", name,
                     buffer->len, at_least);
        return 0;
    }
    return 1;
}

PyDoc_STRVAR(hmac_tokens_doc,
             "hmac_tokens(key, data, offsets, count, prefix, hex_chars, blank_empty, out, "
             "out_offsets)\n--\n\n"
             "Write the token of each of `count` values (Arrow large_string buffers: `data` "
             "and `count + 1` int64 `offsets`) into `out`, and its int64 offsets into "
             "`out_offsets`: `prefix` and the first `hex_chars` hex characters of "
             "HMAC-SHA256 under `key` (at most 64 bytes). A blank value's token is empty "
             "when `blank_empty` is true. The GIL is released meanwhile.");

static PyObject *hmac_tokens(PyObject *self, PyObject *args) {
    Py_buffer key, data, offsets, prefix, out, out_offsets;
    Py_ssize_t count, hex_chars;
    int blank_empty;
    if (!PyArg_ParseTuple(args, "y*y*y*ny*npw*w*", &key, &data, &offsets, &count, &prefix,
                          &hex_chars, &blank_empty, &out, &out_offsets))
        return NULL;
    PyObject *result = NULL;
    int64_t *offs = NULL;
    if (!sha_supported()) {
        PyErr_SetString(PyExc_RuntimeError, "this processor has no SHA extensions");
    } else if (key.len > BLOCK) {
        PyErr_SetString(PyExc_ValueError, "the key must be at most 64 bytes");
    } else if (hex_chars < 0 || hex_chars > 2 * DIGEST) {
        PyErr_SetString(PyExc_ValueError, "hex_chars must be 0..64");
    } else if (count < 0 || count >= PY_SSIZE_T_MAX / 8 ||
               count > PY_SSIZE_T_MAX / (prefix.len + hex_chars + 1)) {
        PyErr_SetString(PyExc_ValueError, "count is negative, or too large for memory");
    } else if (check_buffer(&offsets, (count + 1) * 8, "offsets") &&
               check_buffer(&out_offsets, (count + 1) * 8, "out_offsets") &&
               check_buffer(&out, count * (prefix.len + hex_chars), "out")) {
        /* A private copy: checked here, it cannot change (another thread, or the same
         * memory passed as out_offsets) while the GIL is released. */
        offs = PyMem_Malloc((size_t)(count + 1) * sizeof *offs);
        if (offs == NULL) {
            PyErr_NoMemory();
        } else {
            memcpy(offs, offsets.buf, (size_t)(count + 1) * sizeof *offs);
            int ok = 1;
            for (Py_ssize_t r = 0; r < count && ok; r++)
                ok = offs[r] >= 0 && offs[r] <= offs[r + 1];
            if (!ok || (count > 0 && offs[count] > data.len)) {
                PyErr_SetString(PyExc_ValueError, "the offsets do not fit the data");
            } else {
#if HAVE_SHA_NI
                keyed state;
                state.prefix = (const uint8_t *)prefix.buf;
                state.prefix_len = (size_t)prefix.len;
                state.hex_chars = (size_t)hex_chars;
                Py_BEGIN_ALLOW_THREADS;
                keyed_states(&state, (const uint8_t *)key.buf, (size_t)key.len);
                tokens(&state, (const uint8_t *)data.buf, offs, count, blank_empty,
                       (uint8_t *)out.buf, (int64_t *)out_offsets.buf);
                Py_END_ALLOW_THREADS;
#endif
                result = Py_NewRef(Py_None);
            }
        }
    }
    PyMem_Free(offs);
    PyBuffer_Release(&key);
    PyBuffer_Release(&data);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&prefix);
    PyBuffer_Release(&out);
    PyBuffer_Release(&out_offsets);
    return result;
}

static PyMethodDef methods[] = {
    {"sha_extensions", sha_extensions, METH_NOARGS,
     "sha_extensions()\n--\n\nWhether this processor has the SHA extensions hmac_tokens needs."},
    {"hmac_tokens", hmac_tokens, METH_VARARGS, hmac_tokens_doc},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_hmac_native",
                                    "HMAC-SHA256 tokens of a whole column (SHA extensions).",
                                    -1, methods};

PyMODINIT_FUNC PyInit__hmac_native(void) { return PyModule_Create(&module); }

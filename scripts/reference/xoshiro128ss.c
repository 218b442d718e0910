/* Known-answer values for src/core/rng.ts: xoshiro128** from state {1, 2, 3, 4}, written from
 * the algorithm's published definition (Blackman & Vigna). Build and run:
 *   gcc -O2 -o /tmp/x scripts/reference/xoshiro128ss.c && /tmp/x
 */
#include <stdint.h>
#include <stdio.h>
static uint32_t s[4] = {1, 2, 3, 4};
static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t next(void) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return result;
}
int main(void) {
  printf("[");
  for (int i = 0; i < 10; i++) printf("%s%u", i ? ", " : "", next());
  printf("]\n");
  return 0;
}

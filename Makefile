# kafkac build. `./configure` writes Makefile.config (run automatically with
# defaults when missing). Main targets:
#   make                  library (build/libkafkac.so, .a, kafkac.pc), tools
#                         (build/tools/kafkac), examples
#   make check            unit tests, local broker, integration + example tests
#   make unit             unit tests only (no broker)
#   make SANITIZE=address,undefined check   the same under sanitizers (own build dir)
#   make fuzz             libFuzzer targets, each run for FUZZ_SECONDS (clang)
#   make gen              regenerate lib/proto/gen from the Kafka JSON specs
#   make install PREFIX=/usr/local DESTDIR=
#   make bench-produce    producer side by side: kafkac, librdkafka, Java (slow)
#   make bench-consume    consumer side by side: kafkac, librdkafka, Java (slow)
#   make bench [QUICK=1]  the issue-7 suite: kafkac vs librdkafka, Java, franz-go, and the
#                         Python / Go bindings vs confluent-kafka, kafka-python, franz-go (tests/perf/bench)
#   make deps             install build/test dependencies (Debian, as root)

-include Makefile.config

CC ?= cc
PREFIX ?= /usr/local
SANITIZE ?=
ifeq ($(origin SANITIZE),command line)
  ifneq ($(SANITIZE),)
    SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
  else
    SAN_FLAGS :=
  endif
endif

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

ifeq ($(SANITIZE),)
  BUILD ?= build
else
  BUILD ?= build/san-$(subst $(comma),-,$(SANITIZE))
endif
comma := ,

OPT ?= -O2
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wno-unused-parameter -Wno-missing-field-initializers
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) -fPIC -pthread \
               -Iinclude -Ilib -I. $(PKG_CFLAGS) $(SAN_FLAGS) $(EXTRA_CFLAGS)
LIB_CFLAGS := $(BASE_CFLAGS) -fvisibility=hidden -DKC_BUILDING_LIB
LIBS := $(PKG_LIBS) -lpthread -lm
LDFLAGS_SAN := $(SAN_FLAGS)

LIB_SRCS := $(sort $(shell find lib -name '*.c'))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
DEPS := $(LIB_OBJS:.o=.d)

SONAME := libkafkac.so.$(VERSION_MAJOR)
SHLIB := $(BUILD)/libkafkac.so.$(VERSION)
STLIB := $(BUILD)/libkafkac.a

EXAMPLE_SRCS := $(wildcard examples/*.c)
# The `kafkac` command-line tool: one file per command (tools/kafkac/commands.h).
KAFKAC_TOOL_SRCS := $(sort $(wildcard tools/kafkac/*.c))
KAFKAC_TOOL := $(BUILD)/tools/kafkac
EXAMPLES := $(EXAMPLE_SRCS:examples/%.c=$(BUILD)/examples/%)

UNIT_SRCS := $(wildcard tests/unit/test_*.c tests/unit/gen/test_*.c)
UNIT_BINS := $(patsubst %.c,$(BUILD)/tests/unit/%,$(notdir $(UNIT_SRCS)))
UNIT_COMMON := $(wildcard tests/unit/common/*.c)
INTEG_SRCS := $(wildcard tests/integration/test_*.c)
INTEG_BINS := $(INTEG_SRCS:tests/integration/%.c=$(BUILD)/tests/integration/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

KAFKA_PROTOCOL_DIR ?= ../shared/kafka-protocol/message

.PHONY: all lib tools examples tests unit integration check install uninstall clean \
        distclean gen gen-check fuzz deps exports-check docs fixtures bench-metadata test-failure \
        bench-produce bench-consume bench

all: lib tools examples tests

lib: $(SHLIB) $(BUILD)/libkafkac.so $(STLIB) $(BUILD)/kafkac.pc

Makefile.config config.h:
	./configure

$(BUILD)/obj/%.o: %.c Makefile.config config.h
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -MMD -MP -c -o $@ $<

-include $(DEPS)

$(BUILD)/exports.map: include/kafkac.h
	@mkdir -p $(dir $@)
	{ echo '{ global:'; grep -oE '\bkc_[a-z0-9_]+ *\(' include/kafkac.h | \
	  sed 's/ *($$//' | sort -u | sed 's/$$/;/'; echo 'local: *; };'; } > $@

$(SHLIB): $(LIB_OBJS) $(BUILD)/exports.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(BUILD)/exports.map \
	  -Wl,-z,defs -o $@ $(LIB_OBJS) $(LIBS) $(LDFLAGS_SAN)

$(BUILD)/libkafkac.so: $(SHLIB)
	ln -sf libkafkac.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf libkafkac.so.$(VERSION) $@

$(STLIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@LIBS@|$(PKG_LIBS) -lpthread -lm|' kafkac.pc.in
$(BUILD)/kafkac.pc: kafkac.pc.in Makefile.config
	$(PC_SED) > $@

# Programs link the static library so they run from the tree without
# LD_LIBRARY_PATH and so sanitizer builds cover the library code.
PROG_CFLAGS := $(BASE_CFLAGS)
PROG_LIBS := $(STLIB) $(LIBS) $(LDFLAGS_SAN)

tools: $(KAFKAC_TOOL)
$(KAFKAC_TOOL): $(KAFKAC_TOOL_SRCS) $(wildcard tools/kafkac/*.h) $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $(KAFKAC_TOOL_SRCS) $(PROG_LIBS)

examples: $(EXAMPLES)
$(BUILD)/examples/%: examples/%.c $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< $(PROG_LIBS)

tests: $(UNIT_BINS) $(INTEG_BINS) $(BUILD)/tools/dump_encodings

# Unit tests may call library internals (kc__ symbols), so they link the
# static library and include lib/ headers.
UNIT_BUILD = @mkdir -p $(dir $@) && \
	$(CC) $(PROG_CFLAGS) $(CHECK_CFLAGS) -Itests/unit -o $@ $< $(UNIT_COMMON) $(PROG_LIBS) $(CHECK_LIBS)
$(BUILD)/tests/unit/%: tests/unit/%.c $(UNIT_COMMON) $(STLIB)
	$(UNIT_BUILD)
$(BUILD)/tests/unit/%: tests/unit/gen/%.c $(wildcard tests/unit/gen/*.h) tests/unit/gen_fill.h tests/unit/gen_harness.h $(UNIT_COMMON) $(STLIB)
	$(UNIT_BUILD)

$(BUILD)/tests/integration/%: tests/integration/%.c tests/integration/itest.h $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) $(CHECK_CFLAGS) -Itests/integration -o $@ $< $(PROG_LIBS) $(CHECK_LIBS)

unit: $(UNIT_BINS)
	@BUILD=$(BUILD) tests/run-unit $(UNIT_BINS)

integration: $(INTEG_BINS) $(EXAMPLES) $(BUILD)/tools/dump_encodings
	@BUILD=$(BUILD) tests/run-integration $(INTEG_BINS)

# Failure tests (broker SIGKILL and restart) against the running local
# broker. Not in `make check`: they kill the shared test broker; .ci/run runs
# them on a broker of their own.
test-failure: $(EXAMPLES)
	@KAFKAC_BOOTSTRAP=$${KAFKAC_BOOTSTRAP:-$$(tests/broker/kafka-local bootstrap)} BUILD=$(BUILD) \
	  bash tests/failure/test_producer_restart.sh

# Builds everything, runs the unit tests, starts a local broker, runs the
# integration and example tests, and always stops the broker.
check: all exports-check
	@BUILD=$(BUILD) tests/run-all

exports-check: $(SHLIB)
	@bad=$$(nm -D --defined-only $(SHLIB) | awk '{print $$3}' | grep -vE '^kc_[a-z]' | grep -vE '^(_init|_fini|_edata|_end|__bss_start)$$' || true); \
	 if [ -n "$$bad" ]; then echo "exported symbols without the kc_ prefix:"; echo "$$bad"; exit 1; fi; \
	 bad=$$(nm -D --defined-only $(SHLIB) | awk '{print $$3}' | grep -E '^kc__' || true); \
	 if [ -n "$$bad" ]; then echo "internal kc__ symbols exported:"; echo "$$bad"; exit 1; fi; \
	 echo "exports-check: $$(nm -D --defined-only $(SHLIB) | grep -c ' T kc_') kc_ functions exported, nothing else"

gen:
	@test -d $(KAFKA_PROTOCOL_DIR) || { echo "make gen: no protocol specs at $(KAFKA_PROTOCOL_DIR) (set KAFKA_PROTOCOL_DIR)"; exit 1; }
	python3 tools/gen/kafkagen.py --specs $(KAFKA_PROTOCOL_DIR) --out lib/proto/gen --tests tests/unit/gen

# Fails when the committed generated code differs from what the specs give.
gen-check: gen
	@git diff --exit-code --stat -- lib/proto/gen tests/unit/gen || \
	 { echo "gen-check: committed generated code is stale: run make gen and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- lib/proto/gen tests/unit/gen)" || \
	 { git status --porcelain -- lib/proto/gen tests/unit/gen; echo "gen-check: untracked generated files"; exit 1; }

$(BUILD)/tools/confdoc: tools/gen/confdoc.c $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< $(PROG_LIBS)

$(BUILD)/tools/capture: tests/fixtures/capture.c $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< $(PROG_LIBS)

# Writes every generated message's encoding (all versions, the generated
# tests' fill values) for tests/integration/test_codec_java_interop.sh.
$(BUILD)/tools/dump_encodings: tests/interop/dump_encodings.c $(wildcard tests/unit/gen/*.h) tests/unit/gen_fill.h $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -Itests/unit/gen -Itests/unit -o $@ $< $(PROG_LIBS)

# Side-by-side first-contact benchmark against librdkafka (Debian librdkafka-dev).
$(BUILD)/perf/bench_metadata: tests/perf/bench_metadata.c $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< $(PROG_LIBS) -lrdkafka

bench-metadata: $(BUILD)/perf/bench_metadata
	@b=$${KAFKAC_BOOTSTRAP:-$$(tests/broker/kafka-local bootstrap)} && $(BUILD)/perf/bench_metadata "$$b" 5 40

# The librdkafka peer of `kafkac perf produce`: the same flags, measurement
# and output (tools/kafkac/perf_common.c), librdkafka underneath.
$(BUILD)/perf/rdkafka_perf_produce: tests/perf/rdkafka_perf_produce.c tools/kafkac/perf_common.c \
                                    tools/kafkac/perf_common.h
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -Itools/kafkac -o $@ tests/perf/rdkafka_perf_produce.c \
	  tools/kafkac/perf_common.c -lrdkafka -lm $(LDFLAGS_SAN)

# kafkac, librdkafka and Java's ProducerPerformance side by side (docs/performance.md).
bench-produce: $(KAFKAC_TOOL) $(BUILD)/perf/rdkafka_perf_produce
	BUILD=$(BUILD) tests/perf/produce-side-by-side.sh

# The librdkafka peer of `kafkac perf consume`: the same flags, measurement
# and output (tools/kafkac/perf_consume_common.c), librdkafka underneath.
PERF_CONSUME_COMMON := tools/kafkac/perf_consume_common.c tools/kafkac/perf_common.c
$(BUILD)/perf/rdkafka_perf_consume: tests/perf/rdkafka_perf_consume.c $(PERF_CONSUME_COMMON) \
                                    tools/kafkac/perf_consume_common.h tools/kafkac/perf_common.h
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -Itools/kafkac -o $@ tests/perf/rdkafka_perf_consume.c \
	  $(PERF_CONSUME_COMMON) -lrdkafka -lm $(LDFLAGS_SAN)

# kafkac, librdkafka and Java's ConsumerPerformance side by side (docs/performance.md).
bench-consume: $(KAFKAC_TOOL) $(BUILD)/perf/rdkafka_perf_consume
	BUILD=$(BUILD) tests/perf/consume-side-by-side.sh

# End-to-end latency / idle CPU / queued-memory driver (tests/perf/e2e.c), one
# source built against kafkac and against librdkafka.
$(BUILD)/perf/kafkac_e2e: tests/perf/e2e.c $(STLIB)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< $(PROG_LIBS)
$(BUILD)/perf/rdkafka_e2e: tests/perf/e2e.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -DUSE_RDKAFKA -o $@ $< -lrdkafka -lpthread $(LDFLAGS_SAN)

# The issue-7 suite (docs/performance.md): $(BUILD)/bench/results.csv, report.md, *.png
# (OUT=dir elsewhere). QUICK=1: 1 repeat and small counts; SCENARIOS=S1,SB1 and
# CLIENTS=kafkac,java select; `tests/perf/bench --estimate` prints the expected time.
# $(STLIB): the Python and Go bindings' benchmarks (SB1, SB2) link it.
bench: $(KAFKAC_TOOL) $(STLIB) $(BUILD)/perf/rdkafka_perf_produce $(BUILD)/perf/rdkafka_perf_consume \
       $(BUILD)/perf/kafkac_e2e $(BUILD)/perf/rdkafka_e2e
	BUILD=$(BUILD) QUICK=$(QUICK) tests/perf/bench

# Re-captures tests/fixtures/{responses,batches} from a fresh local broker.
fixtures: $(BUILD)/tools/capture
	BUILD=$(BUILD) tests/fixtures/capture.sh

# docs/CONFIGURATION.md is generated from lib/core/conf_table.h.
docs: $(BUILD)/tools/confdoc
	$(BUILD)/tools/confdoc > docs/CONFIGURATION.md

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
fuzz:
	@BUILD=build/fuzz FUZZ_CC=$(FUZZ_CC) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run $(FUZZ_SRCS)

install: lib tools
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(KAFKAC_TOOL) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 include/kafkac.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(SHLIB) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libkafkac.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf libkafkac.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libkafkac.so
	install -m 644 $(STLIB) $(DESTDIR)$(PREFIX)/lib/
	$(PC_SED) > $(DESTDIR)$(PREFIX)/lib/pkgconfig/kafkac.pc  # the install PREFIX, not configure's
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 docs/kafkac.1 $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/kafkac.h $(DESTDIR)$(PREFIX)/lib/libkafkac.* \
	      $(DESTDIR)$(PREFIX)/lib/pkgconfig/kafkac.pc $(DESTDIR)$(PREFIX)/bin/kafkac \
	      $(DESTDIR)$(PREFIX)/share/man/man1/kafkac.1

deps:
	scripts/install-deps

clean:
	rm -rf build

distclean: clean
	rm -f config.h Makefile.config

# synclab: one hand-written Makefile.
#
# Sources are grouped into one archive per module so that a unit test links
# only the modules it exercises.  The modules depend in one direction,
#
#     lib <- quiz <- sim <- (ui, net) <- cli
#
# (a module includes headers only from those on its left), so the archives
# link in that order reversed, each once, without --start-group: a symbol
# that a module takes from one on its right fails the link.  BUILD names the
# output folder; everything generated lands there and `make clean` removes it.
#
#   make            build ./$(BUILD)/synclab
#   make run        install missing Debian packages, build, open the TUI
#   make test       unit tests, scenario replays, shell tests, sanitizer run
#   make asan       the unit tests under AddressSanitizer + UBSan
#   make valgrind   the unit tests and a scenario replay under valgrind
#   make bench      the measured workloads of docs/performance.md
#   make man        BUILD/man/synclab.1, made from the command table
#   make fuzz       every libFuzzer harness for FUZZ_SECONDS each (clang)
#   make soak       the convergence property over SOAK_SEEDS seeds
#   make compilers  build with gcc and clang, sanitizers recoverable or not
#   make screens    write the golden screens and docs/screens from the UI
#   V=1             show the full compiler commands

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

CC      ?= cc
PKGS    := ncursesw sqlite3 libcjson libcrypto
PKGS_SRV:= libmicrohttpd
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion \
           -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral \
           -Wpointer-arith -Wundef -Werror
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSYNCLAB_VERSION='"$(VERSION)"' \
           -DSYNCLAB_DATADIR='"$(PREFIX)/share/synclab"' \
           -I. $(WARN) $(CFLAGS) $(SAN) $(shell pkg-config --cflags $(PKGS) $(PKGS_SRV) 2>/dev/null)
LIBS    := $(shell pkg-config --libs $(PKGS) $(PKGS_SRV) 2>/dev/null) -lm -lpthread
TLIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

ifeq ($(V),1)
Q :=
else
Q := @
endif

define objs_of
$(patsubst %.c,$(BUILD)/%.o,$(filter-out cli/main.c,$(wildcard $(1)/*.c)))
endef
LIB_OBJ  := $(call objs_of,lib)
SIM_OBJ  := $(call objs_of,sim)
QUIZ_OBJ := $(call objs_of,quiz)
UI_OBJ   := $(call objs_of,ui)
NET_OBJ  := $(call objs_of,net)
CLI_OBJ  := $(call objs_of,cli)
ALL_OBJ  := $(LIB_OBJ) $(SIM_OBJ) $(QUIZ_OBJ) $(UI_OBJ) $(NET_OBJ) $(CLI_OBJ) $(BUILD)/cli/main.o
ARCHIVES := $(BUILD)/libcli.a $(BUILD)/libui.a $(BUILD)/libnet.a $(BUILD)/libsim.a $(BUILD)/libquiz.a $(BUILD)/liblib.a

TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))

.PHONY: all run test unit asan valgrind bench benchbins install uninstall clean deps conformance screens man \
	fuzz fuzzbins soak compilers
all: $(BUILD)/synclab

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/liblib.a: $(LIB_OBJ)
$(BUILD)/libsim.a: $(SIM_OBJ)
$(BUILD)/libquiz.a: $(QUIZ_OBJ)
$(BUILD)/libui.a: $(UI_OBJ)
$(BUILD)/libnet.a: $(NET_OBJ)
$(BUILD)/libcli.a: $(CLI_OBJ)
$(BUILD)/lib%.a:
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/synclab: $(BUILD)/cli/main.o $(ARCHIVES)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/cli/main.o $(ARCHIVES) $(LIBS)

# Every unit test links all module archives; the linker pulls in only what
# the test references.  tests/*.h hold what several tests share.
$(BUILD)/tests/%: tests/%.c $(ARCHIVES) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(ARCHIVES) $(LIBS) $(TLIBS)

-include $(ALL_OBJ:.o=.d)

deps:
	@sh tools/deps.sh

run: deps all
	./$(BUILD)/synclab

# tests/screendump.c prints a screen of the UI drawn headless, for the
# golden-screen test (tests/sh/tui_screens.sh) and `make screens`.
unit: $(TEST_BIN) $(BUILD)/synclab $(BUILD)/tests/screendump $(BUILD)/tests/prop

# The unit tests built again under AddressSanitizer + UBSan, in BUILD/asan.
ASAN_UNIT = $(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit

# The libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang under
# AddressSanitizer + UBSan in BUILD/fuzz: every module is compiled with
# -fsanitize=fuzzer-no-link and each harness links libFuzzer's main.
FUZZ_CC  ?= clang
FUZZ_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_BUILD = $(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) \
	OPT="-O1 -g" SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzzbins
FUZZ_SECONDS ?= 60

fuzzbins: $(FUZZ_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(ARCHIVES) $(LIBS)

# make fuzz: each harness for FUZZ_SECONDS (60) seconds from the seeds
# (the shipped scenarios and questions, tests/fuzz/seeds); the corpora it
# grows and any crash land in BUILD/fuzz/corpus and BUILD/fuzz/crashes.
fuzz: deps
	@$(FUZZ_BUILD)
	@sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# make soak: the convergence property (tests/prop.c) over SOAK_SEEDS
# generated scenarios (make test runs the first 1000), in chunks of
# SOAK_CHUNK seeds, SOAK_JOBS processes at a time.  Each chunk writes
# BUILD/soak/chunk-S.log and any failing scenario, minimised, to
# BUILD/soak/prop-S.json; a chunk that ends without its summary line
# crashed.  The last line sums the chunks.
SOAK_SEEDS ?= 10000
SOAK_JOBS  ?= 2
SOAK_CHUNK ?= 250
soak: all $(BUILD)/tests/prop
	@rm -rf $(BUILD)/soak && mkdir -p $(BUILD)/soak
	@t0=$$(date +%s); seq 1 $(SOAK_CHUNK) $(SOAK_SEEDS) | \
	    xargs -P $(SOAK_JOBS) -I@ sh -c 'n=$$(($(SOAK_SEEDS) - @ + 1)); \
	        [ $$n -gt $(SOAK_CHUNK) ] && n=$(SOAK_CHUNK); \
	        $(BUILD)/tests/prop --first @ --seeds $$n --keep $(BUILD)/soak \
	            >$(BUILD)/soak/chunk-@.log 2>&1; echo "exit $$?" >>$(BUILD)/soak/chunk-@.log'; \
	t1=$$(date +%s); \
	grep -h '^seed [0-9]* fails' $(BUILD)/soak/chunk-*.log | cut -c1-200; \
	for f in $(BUILD)/soak/chunk-*.log; do grep -q ' seeds, .* failed, ' $$f || \
	    echo "crashed: $$f: $$(tail -1 $$f)"; done; \
	cat $(BUILD)/soak/chunk-*.log | awk -v secs=$$((t1 - t0)) -v jobs=$(SOAK_JOBS) \
	    -v want=$(SOAK_SEEDS) -v chunks=$$(ls $(BUILD)/soak/chunk-*.log | wc -l) ' \
	    / seeds, .* failed, / { n += $$1; f += $$3; d += $$5; l += $$7; st += $$10; ok++ } \
	    END { c = chunks - ok; printf "soak: %d of %d seeds, %d steps, %d s wall (%d jobs): " \
	        "%d failed, %d diverged, %d lost writes, %d crashed chunks\n", n, want, st, \
	        secs, jobs, f, d, l, c; exit (n != want || f || c) }'

# make compilers: the program and every test program (unit tests, prop,
# screendump) built five ways, each warning-free under -Werror: gcc and
# clang, each with AddressSanitizer + UBSan recoverable (the default) and
# with -fno-sanitize-recover=all, and clang without sanitizers, in
# BUILD/cc-*.  (Plain gcc is the ordinary build.)  It stops at the first
# build that fails and ends with one line naming the builds made.
CC_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer
CC_BUILDS := gcc:recover gcc:abort clang:recover clang:abort clang:none
compilers:
	@for b in $(CC_BUILDS); do cc=$${b%%:*}; rec=$${b#*:}; \
	    case $$rec in none) san="";; abort) san="$(CC_SAN) -fno-sanitize-recover=all";; \
	        *) san="$(CC_SAN)";; esac; \
	    echo "== $$cc, sanitizers $$rec"; \
	    $(MAKE) --no-print-directory BUILD=$(BUILD)/cc-$$cc-$$rec CC=$$cc \
	        OPT="-O2 -g" SAN="$$san" all unit || exit 1; \
	done; echo "compilers: $(CC_BUILDS): no warning"

# make test: everything that must hold on every commit.  tests/run.sh prints
# one line per check and ends with "N passed, N failed"; it includes a few
# seconds of each fuzz harness and the first 1000 seeds of the property.
test: deps
	@$(MAKE) --no-print-directory all unit
	@$(ASAN_UNIT)
	@$(FUZZ_BUILD)
	@sh tests/run.sh $(BUILD) $(BUILD)/asan $(BUILD)/fuzz

# make screens: write tests/screens/*.txt, docs/screens/*.txt and the
# screens of README.md from the real screens (tests/screens/cases), after a
# change that alters a screen on purpose; review the diff, then commit.
screens: all $(BUILD)/tests/screendump
	@mkdir -p $(BUILD)/screens.tmp
	@SCREENS_UPDATE=1 SYNCLAB=$(CURDIR)/$(BUILD)/synclab SRCDIR=$(CURDIR) \
	    TMPDIR=$(CURDIR)/$(BUILD)/screens.tmp sh tests/sh/tui_screens.sh
	@rm -rf $(BUILD)/screens.tmp
	@echo "screens written: git diff tests/screens docs/screens README.md"

asan:
	@$(ASAN_UNIT)
	@sh tests/run.sh --unit-only $(BUILD)/asan

valgrind: all unit
	@sh tests/valgrind.sh $(BUILD)

# Each tools/bench_*.c is one benchmark program; tools/bench.sh runs them
# (and the shell benchmarks) and prints the figures for docs/performance.md.
BENCH_SRC := $(wildcard tools/bench_*.c)
BENCH_BIN := $(patsubst tools/%.c,$(BUILD)/tools/%,$(BENCH_SRC))
bench: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/bench OPT="-O2 -g -DNDEBUG" all benchbins
	@sh tools/bench.sh $(BUILD)/bench

benchbins: $(BENCH_BIN)

$(BUILD)/tools/%: tools/%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(ARCHIVES) $(LIBS)

conformance: all
	@sh tools/conformance.sh $(BUILD)

# synclab(1) is written by the program from its command table, so it
# documents every command and option there is; the section 5 pages are
# written by hand from docs/scenario-format.md and docs/question-format.md.
man: $(BUILD)/man/synclab.1

$(BUILD)/man/synclab.1: $(BUILD)/synclab
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/synclab __man >$@.tmp && mv $@.tmp $@

# Debian's places: man pages under share/man, completions where
# bash-completion, zsh (vendor-completions) and fish (vendor_completions.d)
# look for them.
MANDIR  := $(DESTDIR)$(PREFIX)/share/man
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR  := $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
install: all man
	install -d $(MANDIR)/man1 $(MANDIR)/man5 $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 644 $(BUILD)/man/synclab.1 $(MANDIR)/man1/synclab.1
	install -m 644 docs/man/synclab-scenario.5 docs/man/synclab-questions.5 $(MANDIR)/man5/
	install -m 644 completions/synclab.bash $(BASHDIR)/synclab
	install -m 644 completions/_synclab $(ZSHDIR)/_synclab
	install -m 644 completions/synclab.fish $(FISHDIR)/synclab.fish
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/synclab/scenarios \
		$(DESTDIR)$(PREFIX)/share/synclab/data/questions $(DESTDIR)$(PREFIX)/share/synclab/data/schema
	install -m 755 $(BUILD)/synclab $(DESTDIR)$(PREFIX)/bin/synclab
	install -m 644 scenarios/*.json $(DESTDIR)$(PREFIX)/share/synclab/scenarios/
	install -m 644 data/questions/*.json $(DESTDIR)$(PREFIX)/share/synclab/data/questions/
	install -m 644 data/schema/*.json $(DESTDIR)$(PREFIX)/share/synclab/data/schema/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/synclab
	rm -rf $(DESTDIR)$(PREFIX)/share/synclab
	rm -f $(MANDIR)/man1/synclab.1 $(MANDIR)/man5/synclab-scenario.5 \
		$(MANDIR)/man5/synclab-questions.5 $(BASHDIR)/synclab \
		$(ZSHDIR)/_synclab $(FISHDIR)/synclab.fish

clean:
	rm -rf $(BUILD) build

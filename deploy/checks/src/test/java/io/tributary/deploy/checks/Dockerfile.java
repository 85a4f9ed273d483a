package io.tributary.deploy.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read into instructions the way BuildKit reads it: comment lines dropped (also inside
 * continuations), lines ending in a backslash joined, the keyword case-insensitive, stages split at
 * each FROM. Parser directives, a custom escape character and heredocs are not supported: a file
 * that uses them is refused rather than misread.
 */
record Dockerfile(List<Stage> stages) {

    record Instruction(int line, String keyword, String args) {}

    record Stage(String image, String alias, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction last(String keyword) {
            List<Instruction> list = all(keyword);
            return list.isEmpty() ? null : list.get(list.size() - 1);
        }
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            String trimmed = line.strip();
            if (i == 0 && trimmed.matches("#\\s*(syntax|escape|check)\\s*=.*")) {
                throw new IllegalArgumentException("parser directives are not supported: " + line);
            }
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current == null)) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = current.toString().strip();
                current = null;
                if (joined.isEmpty()) {
                    continue;
                }
                String[] parts = joined.split("\\s+", 2);
                String keyword = parts[0].toUpperCase(Locale.ROOT);
                String args = parts.length > 1 ? parts[1].strip() : "";
                if (args.contains("<<") && List.of("RUN", "COPY").contains(keyword)) {
                    throw new IllegalArgumentException(
                            "line " + start + ": heredocs are not supported");
                }
                instructions.add(new Instruction(start, keyword, args));
            }
        }
        if (current != null) {
            throw new IllegalArgumentException("the file ends inside a line continuation");
        }
        List<Stage> stages = new ArrayList<>();
        for (Instruction in : instructions) {
            if (in.keyword().equals("FROM")) {
                String[] words =
                        in.args().replaceAll("--platform=\\S+\\s*", "").strip().split("\\s+");
                String alias =
                        words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                stages.add(new Stage(words[0], alias, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!in.keyword().equals("ARG")) {
                    throw new IllegalArgumentException(
                            "line " + in.line() + ": " + in.keyword() + " before the first FROM");
                }
            } else {
                stages.get(stages.size() - 1).instructions().add(in);
            }
        }
        return new Dockerfile(stages);
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}

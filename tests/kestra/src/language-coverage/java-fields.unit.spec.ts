import { describe, expect, it } from 'vitest';
import { blankLiterals, parseJavaClass } from './java-fields.js';

/** The Java reading the coverage specs rely on, on a class shaped like Kestra's (Lombok fields, annotations with braces in strings). */
const SOURCE = `package io.kestra.plugin.core.flow;

import io.kestra.core.models.tasks.Task;
import java.util.List;

@Plugin(examples = {@Example(code = """
    id: x
    message: "{{ outputs.a }}"
    """)})
public class ForEachItem extends Task implements FlowableTask<VoidOutput> {
    private static final String SPLIT = "split"; // a constant, not a property

    @Schema(title = "The items {{ to }} split")
    @PluginProperty(dynamic = true)
    private String items;

    @Builder.Default
    private final Boolean wait = true;

    @Schema(oneOf = {List.class, Map.class})
    private List<@NoSystemLabelValidation Label> labels;

    Integer packagePrivate;

    @JsonProperty("else")
    private List<Task> _else;

    @JsonIgnore
    private Object internal;

    private transient long notSerialised = 0L;

    private Batch batch = Batch.builder().rows(1).build();

    @Override
    @Schema(title = "x")
    public String items() { String notAField = "}"; return items; }

    @Builder
    public static class Batch {
        private Integer rows;
        private String separator;
    }
}
`;

describe('reading Kestra classes', () => {
  it('drops comments and neutralises braces and the like in strings, keeping the lines', () => {
    const blanked = blankLiterals('a = "x{y}"; // {\n/* { */ b = \'{\';');
    expect(blanked).toBe('a = "x y "; \n b = \' \';');
  });

  it('lists instance fields with type and annotations, its superclass, imports and nested classes', () => {
    const cls = parseJavaClass(SOURCE);
    expect(cls.name).toBe('ForEachItem');
    expect(cls.extends).toBe('Task');
    expect(cls.imports.Task).toBe('io.kestra.core.models.tasks.Task');
    expect(cls.fields.map((f) => f.name)).toEqual(['items', 'wait', 'labels', 'packagePrivate', 'else', 'internal', 'batch']);
    expect(cls.fields.find((f) => f.name === 'labels')?.type).toBe('List<Label>');
    expect(cls.fields.find((f) => f.name === 'internal')?.annotations).toEqual(['JsonIgnore']);
    expect(cls.nested.Batch?.fields.map((f) => f.name)).toEqual(['rows', 'separator']);
  });

  it('reads a record\'s components as its properties', () => {
    const cls = parseJavaClass('package p;\npublic record DependsOn(\n    @Nullable List<String> inputs,\n    @Nullable String condition\n) {\n}\n');
    expect(cls.fields.map((f) => [f.name, f.type])).toEqual([['inputs', 'List<String>'], ['condition', 'String']]);
  });
});

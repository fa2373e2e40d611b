// Records a new upload, attached to nothing yet.
// Params: $id, $groupId, $ownerId, $filename, $contentType, $size, $width, $height,
//         $createdAt (µs since epoch)
CREATE (:Attachment {id: $id, groupId: $groupId, ownerId: $ownerId, filename: $filename,
                     contentType: $contentType, size: $size, width: $width, height: $height,
                     createdAt: $createdAt, messageId: null, kept: false, version: 0})
